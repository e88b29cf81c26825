import { type Static, Type } from 'typebox';
import { Instant, Uuid } from './primitives.js';

/** One entry of a product's stock audit trail. */
export const StockAdjustment = Type.Object({
  id: Type.Integer(),
  delta: Type.Integer(),
  resultingStock: Type.Integer(),
  reason: Type.String(),
  actorId: Uuid,
  createdAt: Instant,
});
export type StockAdjustment = Static<typeof StockAdjustment>;

export const StockHistory = Type.Object({ items: Type.Array(StockAdjustment) });
export type StockHistory = Static<typeof StockHistory>;

/** Exactly one of delta or setTo (checked by the domain: the document keeps both optional). */
export const StockChange = Type.Object(
  {
    delta: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
    setTo: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    reason: Type.String({ minLength: 3, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type StockChange = Static<typeof StockChange>;
