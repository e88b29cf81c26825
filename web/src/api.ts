/** The shop API on the same origin under /v1: its types (from the OpenAPI document), one error type, auth with transparent token refresh, guest cart id. */

import type { paths } from './api-types.gen';

// Every body the API sends or accepts is typed from its OpenAPI document (src/api-types.gen.ts,
// `npm run gen:api-types -w web`), so a change in the API's schemas fails the storefront's typecheck
// instead of drifting silently. The names below are what the pages import.

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** The JSON body of a successful (200/201) answer to `method path`. */
type Ok<Path extends keyof paths, M extends Method> = paths[Path][M] extends { responses: infer R }
  ? { [S in keyof R & (200 | 201)]: R[S] extends { content: { 'application/json': infer T } } ? T : never }[keyof R & (200 | 201)]
  : never;
/** The JSON body `method path` accepts. */
export type RequestBody<Path extends keyof paths, M extends Method> = paths[Path][M] extends {
  requestBody?: { content: { 'application/json': infer T } };
}
  ? T
  : never;

export type ProductPage = Ok<'/v1/products', 'get'>;
export type ProductSummary = ProductPage['items'][number];
export type ProductDetail = Ok<'/v1/products/{slug}', 'get'>;
export type CategoryList = Ok<'/v1/categories', 'get'>;
export type Category = CategoryList['items'][number];
export type BrandList = Ok<'/v1/brands', 'get'>;
export type Cart = Ok<'/v1/cart', 'get'>;
export type CartLine = Cart['items'][number];
type Session = Ok<'/v1/auth/login', 'post'>;
export type User = Session['user'];
export type Role = User['role'];
export type Order = Ok<'/v1/orders/{id}', 'get'>;
export type OrderList = Ok<'/v1/orders', 'get'>;
export type OrderStatus = Order['status'];
export type Shipping = Order['shipping'];
export type AdminProductList = Ok<'/v1/admin/products', 'get'>;
export type AdminProduct = AdminProductList['items'][number];
export type StockAdjustment = Ok<'/v1/admin/products/{id}/stock-adjustments', 'post'>;
export type AdminOrderList = Ok<'/v1/admin/orders', 'get'>;
export type AdminUserList = Ok<'/v1/admin/users', 'get'>;
export type AdminUser = AdminUserList['items'][number];
/** The one error body every route documents for 4xx and 5xx. */
type ErrorBody = paths['/v1/cart']['get']['responses']['4XX']['content']['application/json'];

/** Every failure a page can show: an API error body, a timeout, or no network. `status` 0 means no answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
  }
  /** Whether the request may have reached the server without us learning the outcome. */
  get outcomeUnknown() {
    return this.status === 0 || this.status >= 500;
  }

  /** Anything caught from a call, as an ApiError (a non-API failure becomes status 0, code CLIENT). */
  static from(error: unknown): ApiError {
    if (error instanceof ApiError) return error;
    return new ApiError(0, 'CLIENT', error instanceof Error ? error.message : String(error));
  }
}

const REQUEST_TIMEOUT_MS = 15_000;
const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);
const REFRESH_KEY = 'dc.refreshToken';
const CART_KEY = 'dc.cartId';
const DEVICE_KEY = 'dc.deviceTokens';

let accessToken: string | null = null;
let refreshInFlight: Promise<Session | null> | null = null;
let onSession: (user: User | null) => void = () => {};

export function onSessionChange(listener: (user: User | null) => void) {
  onSession = listener;
}

export const guestCart = {
  get: () => localStorage.getItem(CART_KEY),
  set: (id: string) => localStorage.setItem(CART_KEY, id),
  clear: () => localStorage.removeItem(CART_KEY),
};

/**
 * Device tokens, per account signed in on this browser: with one, a lockout caused by someone
 * else guessing the password does not stop the account's owner here (the API's login docs).
 */
const deviceTokens = {
  all: (): Record<string, string> => {
    try {
      return JSON.parse(localStorage.getItem(DEVICE_KEY) ?? '{}') as Record<string, string>;
    } catch {
      return {};
    }
  },
  get: (email: string) => deviceTokens.all()[email.trim().toLowerCase()],
  set: (email: string, token: string) => {
    const kept = Object.entries(deviceTokens.all()).filter(([e]) => e !== email);
    localStorage.setItem(DEVICE_KEY, JSON.stringify(Object.fromEntries([...kept.slice(-4), [email, token]])));
  },
};

function adopt(session: Session) {
  accessToken = session.accessToken;
  localStorage.setItem(REFRESH_KEY, session.refreshToken);
  if (session.deviceToken) deviceTokens.set(session.user.email, session.deviceToken);
  onSession(session.user);
  return session;
}

function dropSession() {
  accessToken = null;
  localStorage.removeItem(REFRESH_KEY);
  onSession(null);
}

interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Skip the refresh-and-retry on 401 (the auth endpoints themselves). */
  noRefresh?: boolean;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  else {
    const cartId = guestCart.get();
    if (cartId && path.startsWith('/v1/cart')) headers['x-cart-id'] = cartId;
  }
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    return await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const timedOut = timeout.aborted;
    throw new ApiError(
      0,
      timedOut ? 'TIMEOUT' : 'NETWORK',
      timedOut ? 'The shop took too long to answer.' : 'We could not reach the shop.',
    );
  }
}

/** Wait, unless the caller gives up first (then throw its AbortError, which pages ignore). */
function pause(ms: number, signal?: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let res = await send(path, options);
  // An idempotent request (a read, or a PUT/DELETE that sets the cart to a state) refused for a
  // moment (load shedding, a database failover, a pod going away) is tried once more after the
  // Retry-After the API sends (at most 3 s) before the shopper sees an error. Checkout retries
  // on its own terms, with its Idempotency-Key (pages/Checkout.tsx).
  if ([502, 503, 504].includes(res.status) && IDEMPOTENT.has(options.method ?? 'GET')) {
    await pause(Math.min(Number(res.headers.get('retry-after')) || 1, 3) * 1000, options.signal);
    res = await send(path, options);
  }
  if (res.status === 401 && !options.noRefresh && localStorage.getItem(REFRESH_KEY)) {
    if (await refreshSession()) res = await send(path, options);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    // Proxies and the network can answer with something else entirely: every field may be missing.
    const error = (body as Partial<ErrorBody> | undefined)?.error as Partial<ErrorBody['error']> | undefined;
    throw new ApiError(res.status, error?.code ?? `HTTP_${res.status}`, error?.message ?? res.statusText, error?.details, error?.requestId);
  }
  return body as T;
}

/**
 * One refresh at a time, across tabs too: refresh tokens rotate and presenting a used one revokes the
 * whole family (every tab logged out). Tabs share the token in localStorage, so each refresh takes a
 * Web Lock and reads the token only once it holds it: the second tab then uses the first one's new token.
 */
export function refreshSession(): Promise<Session | null> {
  if (!localStorage.getItem(REFRESH_KEY)) return Promise.resolve(null);
  const attempt = async (): Promise<Session | null> => {
    const refreshToken = localStorage.getItem(REFRESH_KEY);
    if (!refreshToken) return null;
    try {
      return adopt(
        await api<Session>('/v1/auth/refresh', {
          method: 'POST',
          body: { refreshToken } satisfies RequestBody<'/v1/auth/refresh', 'post'>,
          noRefresh: true,
        }),
      );
    } catch (error) {
      // Only a refusal ends the session; a network failure keeps the token for the next try.
      if (error instanceof ApiError && error.status === 401 && localStorage.getItem(REFRESH_KEY) === refreshToken) dropSession();
      return null;
    }
  };
  if (refreshInFlight) return refreshInFlight;
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  const locked = locks
    ? new Promise<Session | null>((resolve, reject) => {
        // The lock is held until the callback's promise settles.
        locks.request('dc.refresh', () => attempt().then(resolve, reject)).catch(reject);
      })
    : attempt();
  const inFlight = locked.finally(() => {
    refreshInFlight = null;
  });
  refreshInFlight = inFlight;
  return inFlight;
}

export const auth = {
  /** At start-up: turn a stored refresh token back into a session. */
  restore: async () => (await refreshSession())?.user ?? null,
  login: async (email: string, password: string) => {
    const guestCartId = guestCart.get() ?? undefined;
    const session = adopt(
      await api<Session>('/v1/auth/login', {
        method: 'POST',
        body: { email, password, guestCartId, deviceToken: deviceTokens.get(email) } satisfies RequestBody<'/v1/auth/login', 'post'>,
        noRefresh: true,
      }),
    );
    guestCart.clear();
    return session.user;
  },
  register: async (name: string, email: string, password: string) => {
    const guestCartId = guestCart.get() ?? undefined;
    const session = adopt(
      await api<Session>('/v1/auth/register', {
        method: 'POST',
        body: { name, email, password, guestCartId } satisfies RequestBody<'/v1/auth/register', 'post'>,
        noRefresh: true,
      }),
    );
    guestCart.clear();
    return session.user;
  },
  logout: async () => {
    const refreshToken = localStorage.getItem(REFRESH_KEY);
    dropSession();
    if (refreshToken)
      await api('/v1/auth/logout', {
        method: 'POST',
        body: { refreshToken } satisfies RequestBody<'/v1/auth/logout', 'post'>,
        noRefresh: true,
      }).catch(() => {});
  },
};

export function query(params: Record<string, string | number | boolean | string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

export const cartApi = {
  get: () => api<Cart>('/v1/cart'),
  set: async (productId: number, quantity: number) => {
    const cart = await api<Cart>(`/v1/cart/items/${productId}`, {
      method: 'PUT',
      body: { quantity } satisfies RequestBody<'/v1/cart/items/{productId}', 'put'>,
    });
    if (!accessToken && cart.id) guestCart.set(cart.id);
    return cart;
  },
  remove: (productId: number) => api<Cart>(`/v1/cart/items/${productId}`, { method: 'DELETE' }),
};
