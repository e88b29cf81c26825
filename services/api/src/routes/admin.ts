import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import orderRoutes from './admin/orders.js';
import productRoutes from './admin/products.js';
import stockRoutes from './admin/stock.js';
import userRoutes from './admin/users.js';

/** The back office, one plugin per area; registered in this order, which is the order the OpenAPI document lists them. */
const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(productRoutes);
  await app.register(stockRoutes);
  await app.register(orderRoutes);
  await app.register(userRoutes);
};

export default adminRoutes;
