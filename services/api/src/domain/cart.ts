import type { Db } from '../db/client.js';
import { AppError, conflict, notFound } from '../errors.js';

export const MAX_QUANTITY_PER_ITEM = 20;

export interface CartView {
  id: string | null;
  items: {
    productId: number;
    slug: string;
    name: string;
    image: string | null;
    unitPricePoisha: number;
    quantity: number;
    lineTotalPoisha: number;
    stock: number;
    available: boolean;
  }[];
  itemCount: number;
  totalPoisha: number;
}

export type CartOwner = { userId: string } | { guestCartId: string | undefined };

const EMPTY: CartView = { id: null, items: [], itemCount: 0, totalPoisha: 0 };

/** Find the cart for a signed-in user (created on first use) or a guest's cart by its id. */
async function resolveCart(db: Db, owner: CartOwner, create: boolean): Promise<string | null> {
  if ('userId' in owner) {
    if (!create) return (await db.cart.findUnique({ where: { userId: owner.userId }, select: { id: true } }))?.id ?? null;
    const cart = await db.cart.upsert({
      where: { userId: owner.userId },
      create: { userId: owner.userId },
      update: {},
      select: { id: true },
    });
    return cart.id;
  }
  if (owner.guestCartId) {
    // A user's cart id is never usable as a guest cart: the id is not a credential for an account.
    const cart = await db.cart.findFirst({ where: { id: owner.guestCartId, userId: null }, select: { id: true } });
    if (!cart) throw new AppError(404, 'CART_NOT_FOUND', 'this guest cart does not exist (it may have been merged at login)');
    return cart.id;
  }
  if (!create) return null;
  return (await db.cart.create({ data: {}, select: { id: true } })).id;
}

export async function viewCart(db: Db, cartId: string | null): Promise<CartView> {
  if (!cartId) return EMPTY;
  const items = await db.cartItem.findMany({
    where: { cartId },
    include: { product: { select: { slug: true, name: true, images: true, pricePoisha: true, stock: true, active: true } } },
    orderBy: { productId: 'asc' },
  });
  const lines = items.map((i) => {
    const unit = Number(i.product.pricePoisha);
    return {
      productId: i.productId,
      slug: i.product.slug,
      name: i.product.name,
      image: i.product.images[0] ?? null,
      unitPricePoisha: unit,
      quantity: i.quantity,
      lineTotalPoisha: unit * i.quantity,
      stock: i.product.stock,
      available: i.product.active && i.product.stock >= i.quantity,
    };
  });
  return {
    id: cartId,
    items: lines,
    itemCount: lines.reduce((n, l) => n + l.quantity, 0),
    totalPoisha: lines.reduce((n, l) => n + l.lineTotalPoisha, 0),
  };
}

export async function getCart(db: Db, owner: CartOwner) {
  return viewCart(db, await resolveCart(db, owner, false));
}

export async function setItem(db: Db, owner: CartOwner, productId: number, quantity: number): Promise<CartView> {
  const product = await db.product.findFirst({ where: { id: productId, active: true }, select: { stock: true } });
  if (!product) throw notFound('product');
  if (product.stock === 0) throw conflict('OUT_OF_STOCK', 'this product is sold out', { productId, available: 0 });
  if (quantity > product.stock) {
    throw conflict('INSUFFICIENT_STOCK', `only ${product.stock} left in stock`, { productId, available: product.stock });
  }
  const cartId = (await resolveCart(db, owner, true)) as string;
  await db.cartItem.upsert({
    where: { cartId_productId: { cartId, productId } },
    create: { cartId, productId, quantity },
    update: { quantity },
  });
  await db.cart.update({ where: { id: cartId }, data: { updatedAt: new Date() } });
  return viewCart(db, cartId);
}

export async function removeItem(db: Db, owner: CartOwner, productId: number): Promise<CartView> {
  const cartId = await resolveCart(db, owner, false);
  if (cartId) await db.cartItem.deleteMany({ where: { cartId, productId } });
  return viewCart(db, cartId);
}

/**
 * At login the guest's cart joins the account's: quantities add up (capped),
 * and the guest cart is deleted so its id cannot be used again.
 */
export async function mergeGuestCart(db: Db, userId: string, guestCartId: string): Promise<CartView> {
  const cartId = await db.$transaction(async (tx) => {
    const guest = await tx.cart.findFirst({ where: { id: guestCartId, userId: null }, include: { items: true } });
    const cart = await tx.cart.upsert({ where: { userId }, create: { userId }, update: {}, select: { id: true } });
    if (!guest) return cart.id;
    for (const item of guest.items) {
      await tx.$executeRaw`
        INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (${cart.id}::uuid, ${item.productId}, ${item.quantity})
        ON CONFLICT (cart_id, product_id)
        DO UPDATE SET quantity = LEAST(cart_items.quantity + EXCLUDED.quantity, ${MAX_QUANTITY_PER_ITEM})`;
    }
    await tx.cart.delete({ where: { id: guest.id } });
    return cart.id;
  });
  return viewCart(db, cartId);
}
