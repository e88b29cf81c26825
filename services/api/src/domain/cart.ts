import type { Db } from '../db/client.js';
import { FOREIGN_KEY_VIOLATION, sqlState } from '../db/errors.js';
import { AppError, conflict, notFound, unauthorized } from '../errors.js';
import { type Cart, MAX_QUANTITY_PER_ITEM } from '../schemas/cart.js';

export type CartOwner = { userId: string } | { guestCartId: string | undefined };

const EMPTY: Cart = { id: null, items: [], itemCount: 0, totalPoisha: 0 };

const GUEST_CART_GONE = () => new AppError(404, 'CART_NOT_FOUND', 'this guest cart does not exist (it may have been merged at login)');
const ACCOUNT_GONE = () => unauthorized('TOKEN_INVALID', 'account no longer exists');

/**
 * The cart an owner already has, or null. A user's cart id is never usable as a
 * guest cart: the id is not a credential for an account.
 */
async function findCart(db: Db, owner: CartOwner): Promise<string | null> {
  if ('userId' in owner) return (await db.cart.findUnique({ where: { userId: owner.userId }, select: { id: true } }))?.id ?? null;
  if (!owner.guestCartId) return null;
  const cart = await db.cart.findFirst({ where: { id: owner.guestCartId, userId: null }, select: { id: true } });
  if (!cart) throw GUEST_CART_GONE();
  return cart.id;
}

/**
 * A signed-in user's cart, made on first use. One statement (INSERT … ON CONFLICT),
 * so any number of tabs racing on a first add get the same cart and no unique violation.
 */
async function ensureUserCart(db: Pick<Db, '$queryRaw'>, userId: string): Promise<string> {
  try {
    const [cart] = await db.$queryRaw<{ id: string }[]>`
      INSERT INTO carts (user_id) VALUES (${userId}::uuid)
      ON CONFLICT (user_id) DO UPDATE SET updated_at = now() RETURNING id`;
    return (cart as { id: string }).id;
  } catch (error) {
    if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw ACCOUNT_GONE();
    throw error;
  }
}
async function viewCart(db: Db, cartId: string | null): Promise<Cart> {
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

export async function getCart(db: Db, owner: CartOwner): Promise<Cart> {
  return viewCart(db, await findCart(db, owner));
}

export async function setItem(db: Db, owner: CartOwner, productId: number, quantity: number): Promise<Cart> {
  const product = await db.product.findFirst({ where: { id: productId, active: true }, select: { stock: true } });
  if (!product) throw notFound('product');
  if (product.stock === 0) throw conflict('OUT_OF_STOCK', 'this product is sold out', { productId, available: 0 });
  if (quantity > product.stock) {
    throw conflict('INSUFFICIENT_STOCK', `only ${product.stock} left in stock`, { productId, available: product.stock });
  }
  let cartId: string;
  if ('userId' in owner) cartId = await ensureUserCart(db, owner.userId);
  else if (owner.guestCartId) cartId = owner.guestCartId;
  else cartId = (await db.cart.create({ data: {}, select: { id: true } })).id;
  // Upsert the line only into a cart that is still the owner's: a guest cart merged (deleted) a
  // moment ago matches no row here, or fails the foreign key if the merge commits mid-statement.
  const ownerIsGuest = !('userId' in owner);
  try {
    const written = await db.$queryRaw<{ cart_id: string }[]>`
      WITH line AS (
        INSERT INTO cart_items (cart_id, product_id, quantity)
        SELECT id, ${productId}, ${quantity} FROM carts WHERE id = ${cartId}::uuid AND (user_id IS NULL) = ${ownerIsGuest}
        ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity
        RETURNING cart_id
      )
      UPDATE carts SET updated_at = now() FROM line WHERE carts.id = line.cart_id RETURNING carts.id AS cart_id`;
    if (written.length === 0) throw ownerIsGuest ? GUEST_CART_GONE() : ACCOUNT_GONE();
  } catch (error) {
    if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw ownerIsGuest ? GUEST_CART_GONE() : ACCOUNT_GONE();
    throw error;
  }
  return viewCart(db, cartId);
}

export async function removeItem(db: Db, owner: CartOwner, productId: number): Promise<Cart> {
  const cartId = await findCart(db, owner);
  if (cartId) await db.cartItem.deleteMany({ where: { cartId, productId } });
  return viewCart(db, cartId);
}

/**
 * At login the guest's cart joins the account's: quantities add up (capped),
 * and the guest cart is deleted so its id cannot be used again.
 */
export async function mergeGuestCart(db: Db, userId: string, guestCartId: string): Promise<Cart> {
  // One statement, so the guest cart's row lock lasts one statement, not a transaction's round
  // trips: concurrent merges of one cart (another tab's login, a second account) queue briefly on
  // it, then find it gone and merge nothing; guest adds in flight finish first (their foreign-key
  // check holds a share lock the FOR UPDATE waits for).
  try {
    const [row] = await db.$queryRaw<{ id: string }[]>`
      WITH guest AS (
        SELECT id FROM carts WHERE id = ${guestCartId}::uuid AND user_id IS NULL FOR UPDATE
      ), cart AS (
        INSERT INTO carts (user_id) VALUES (${userId}::uuid)
        ON CONFLICT (user_id) DO UPDATE SET updated_at = now() RETURNING id
      ), moved AS (
        INSERT INTO cart_items (cart_id, product_id, quantity)
        SELECT cart.id, ci.product_id, ci.quantity FROM cart_items ci JOIN guest ON ci.cart_id = guest.id CROSS JOIN cart
        ON CONFLICT (cart_id, product_id)
        DO UPDATE SET quantity = LEAST(cart_items.quantity + EXCLUDED.quantity, ${MAX_QUANTITY_PER_ITEM})
      ), gone AS (
        DELETE FROM carts WHERE id IN (SELECT id FROM guest)
      )
      SELECT id FROM cart`;
    return viewCart(db, (row as { id: string }).id);
  } catch (error) {
    if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw ACCOUNT_GONE();
    throw error;
  }
}
