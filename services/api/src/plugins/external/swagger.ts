import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

/** The OpenAPI document is generated from the route schemas: one source for validation, docs and types. */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'DhakaCart API',
          version: '1.0.0',
          description:
            'Catalog, cart, checkout, orders and administration for the DhakaCart shop. Prices are integer poisha (1 BDT = 100 poisha).',
        },
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
      },
    });
    app.get('/openapi.json', { schema: { hide: true }, config: { metrics: { disableMetrics: true } } }, async () => app.swagger());
    if (app.config.DOCS_ENABLED) {
      await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: false } });
    }
  },
  { name: 'swagger', dependencies: ['config'] },
);
