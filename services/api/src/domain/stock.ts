import type { Db } from '../db/client.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { StockAdjustment, StockChange, StockHistory } from '../schemas/stock.js';

const toAdjustment = <T extends { createdAt: Date }>(row: T) => ({ ...row, createdAt: row.createdAt.toISOString() });

/** Stock changes only here (and in checkout and cancellations), each with an audit entry saying who and why. */
export async function adjustStock(db: Db, productId: number, change: StockChange, actorId: string): Promise<StockAdjustment> {
  const { delta, setTo, reason } = change;
  if ((delta === undefined) === (setTo === undefined)) throw badRequest('DELTA_OR_SET_TO', 'give exactly one of delta or setTo');
  if (delta === 0) throw badRequest('DELTA_OR_SET_TO', 'delta must not be zero');
  const adjustment = await db.$transaction(async (tx) => {
    // The row lock orders this against concurrent checkouts; the CHECK (stock >= 0) is the backstop.
    const [row] = await tx.$queryRaw<{ stock: number }[]>`SELECT stock FROM products WHERE id = ${productId} FOR UPDATE`;
    if (!row) throw notFound('product');
    const by = setTo !== undefined ? setTo - row.stock : (delta as number);
    const resultingStock = row.stock + by;
    if (resultingStock < 0) throw conflict('NEGATIVE_STOCK', `stock is ${row.stock}; it cannot go below zero`, { stock: row.stock });
    await tx.product.update({ where: { id: productId }, data: { stock: resultingStock } });
    return tx.stockAdjustment.create({ data: { productId, delta: by, resultingStock, reason, actorId } });
  });
  return toAdjustment(adjustment);
}

/** The audit trail, newest first (the latest 200: older entries stay in the table). */
export async function stockHistory(db: Db, productId: number): Promise<StockHistory> {
  const rows = await db.stockAdjustment.findMany({ where: { productId }, orderBy: { id: 'desc' }, take: 200 });
  return { items: rows.map(toAdjustment) };
}
