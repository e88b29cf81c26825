import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkout } from '../domain/checkout.js';
import { AppError } from '../errors.js';
import { requirePrincipal } from '../plugins/app/auth.js';
import { CheckoutRequest, IdempotencyKeyHeader } from '../schemas/checkout.js';
import { Order } from '../schemas/order.js';

const checkoutRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/',
    {
      config: { access: 'customer' },
      schema: {
        tags: ['checkout'],
        summary: 'Place an order for the contents of the cart and pay for it',
        operationId: 'checkout',
        description:
          'Idempotent per Idempotency-Key: a retry with the same key and body returns the first result and never creates a second order. ' +
          '402 means the payment was declined or timed out (stock is released, the cart is kept).',
        security: [{ bearer: [] }],
        headers: IdempotencyKeyHeader,
        body: CheckoutRequest,
        response: {
          201: Order,
          200: Order,
          402: { $ref: 'ErrorResponse#', description: 'payment declined or timed out (PAYMENT_DECLINED, PAYMENT_TIMEOUT)' },
          409: { $ref: 'ErrorResponse#', description: 'OUT_OF_STOCK or CHECKOUT_IN_PROGRESS' },
        },
      },
      links: {
        201: {
          order: { operationId: 'getOrder', parameters: { id: '$response.body#/id' } },
          cancel: { operationId: 'cancelOrder', parameters: { id: '$response.body#/id' } },
        },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const outcome = await checkout(
        {
          db: app.db,
          payments: app.payments,
          paymentTimeoutMs: app.config.PAYMENT_TIMEOUT_MS,
          onFailure: (reason) => app.businessMetrics.checkoutFailures.inc({ reason }),
        },
        principal.sub,
        request.headers['idempotency-key'],
        request.body,
      );
      if (outcome.kind === 'in_progress') {
        reply.header('Retry-After', '2');
        throw new AppError(409, 'CHECKOUT_IN_PROGRESS', 'this checkout is still being processed; retry shortly with the same key', {
          orderId: outcome.order.id,
        });
      }
      if (outcome.replayed) reply.header('Idempotent-Replayed', 'true');
      if (outcome.kind === 'failed') {
        if (!outcome.replayed) app.businessMetrics.orders.inc({ status: 'payment_failed' });
        const messages: Record<string, string> = {
          PAYMENT_DECLINED: 'the payment was declined; you have not been charged. Try another account or method.',
          PAYMENT_TIMEOUT: 'the payment provider did not answer in time; you have not been charged. Please try again.',
          PAYMENT_EXPIRED: 'the payment took too long and was refunded; please try again.',
        };
        throw new AppError(402, outcome.code, messages[outcome.code] ?? 'the payment did not go through', {
          orderId: outcome.order.id,
          orderNumber: outcome.order.number,
        });
      }
      if (!outcome.replayed) {
        app.businessMetrics.orders.inc({ status: 'paid' });
        app.businessMetrics.revenue.inc(outcome.order.totalPoisha);
      }
      return reply.status(outcome.replayed ? 200 : 201).send(outcome.order);
    },
  );
};

export default checkoutRoutes;
