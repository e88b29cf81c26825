import fp from 'fastify-plugin';
import { type PaymentGateway, SandboxGateway } from '../../domain/payments.js';

/** Only the sandbox exists today; a real gateway would be chosen here from config. */
export default fp(
  async (app) => {
    app.decorate('payments', new SandboxGateway());
  },
  { name: 'payments' },
);

declare module 'fastify' {
  interface FastifyInstance {
    payments: PaymentGateway;
  }
}
