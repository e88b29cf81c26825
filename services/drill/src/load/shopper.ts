/**
 * The shopper load, run by k6 (not Node): sessions arrive at a fixed rate (an
 * open model: a slow shop cannot slow the arrivals down and hide its latency),
 * each a few actions weighted like the OpenTelemetry demo's load generator,
 * browse 10 : view cart 3 : add 2 : checkout 1, with think time between them.
 * Guests and signed-in customers (tokens made in bulk beforehand by the drill,
 * never through the rate-limited login). Every checkout carries an
 * Idempotency-Key and is retried with the same key and body, like the
 * storefront; every order the client saw acknowledged is recorded.
 *
 * Environment (set by the drill): BASE_URL, RATE (sessions/s), SECONDS,
 * ACCOUNTS (JSON file of {token}), THINK_MIN_MS/THINK_MAX_MS, ACTIONS (per
 * session), MODE=shoppers|flash, FLASH_PRODUCT, FLASH_BUYERS, FLASH_SECONDS (the sale's burst).
 */
import { check, sleep } from 'k6';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';

const BASE = __ENV.BASE_URL as string;
const RATE = Number(__ENV.RATE ?? 10);
const SECONDS = Number(__ENV.SECONDS ?? 60);
const THINK_MIN = Number(__ENV.THINK_MIN_MS ?? 1000) / 1000;
const THINK_MAX = Number(__ENV.THINK_MAX_MS ?? 10000) / 1000;
const ACTIONS = Number(__ENV.ACTIONS ?? 5);
const MODE = __ENV.MODE ?? 'shoppers';
const FLASH_PRODUCT = Number(__ENV.FLASH_PRODUCT ?? 0);
const FLASH_BUYERS = Number(__ENV.FLASH_BUYERS ?? 0);
const FLASH_SECONDS = Number(__ENV.FLASH_SECONDS ?? 20);

const accounts = new SharedArray('accounts', () => JSON.parse(open(__ENV.ACCOUNTS as string)) as { token: string }[]);

/** What a shopper experienced, after the client's own retries: failed = gave up (5xx or no answer). */
const shopperFailed = new Rate('shopper_failed');
/** One point per order the client saw acknowledged (201, or 200 on a replay), tagged with its id. */
const ordersAcknowledged = new Counter('orders_acknowledged');
const checkoutOutcomes = new Counter('checkout_outcomes');
const checkoutLatency = new Trend('checkout_latency', true);

http.setResponseCallback(http.expectedStatuses({ min: 200, max: 499 }));

export const options = {
  discardResponseBodies: false,
  // The ingress's name at its address (the lab's DNS is not the machine's), as /etc/hosts would.
  ...(__ENV.HOSTS ? { hosts: JSON.parse(__ENV.HOSTS) as Record<string, string> } : {}),
  scenarios:
    MODE === 'flash'
      ? {
          // The buyers arrive together (all of them within FLASH_SECONDS), each at its own moment.
          flash: {
            executor: 'constant-arrival-rate',
            rate: FLASH_BUYERS,
            timeUnit: `${FLASH_SECONDS}s`,
            duration: `${FLASH_SECONDS}s`,
            preAllocatedVUs: Math.min(FLASH_BUYERS, 200),
            maxVUs: FLASH_BUYERS,
            gracefulStop: '60s',
          },
        }
      : {
          shoppers: {
            executor: 'constant-arrival-rate',
            rate: RATE,
            timeUnit: '1s',
            duration: `${SECONDS}s`,
            preAllocatedVUs: Math.max(10, Math.ceil(RATE * ACTIONS * (THINK_MAX + 1))),
            maxVUs: Math.max(50, Math.ceil(RATE * ACTIONS * (THINK_MAX + 2) * 2)),
            gracefulStop: '30s',
          },
        },
  summaryTrendStats: ['p(50)', 'p(95)', 'p(99)', 'max'],
};

interface Catalog {
  slugs: string[];
  productIds: number[];
  categories: string[];
}

export function setup(): Catalog {
  const catalog: Catalog = { slugs: [], productIds: [], categories: [] };
  if (MODE === 'flash') return catalog;
  const categories = http.get(`${BASE}/v1/categories`, { tags: { name: 'setup' } });
  catalog.categories = (categories.json('items') as { slug: string }[]).map((c) => c.slug);
  let cursor: string | null = null;
  for (let page = 0; page < 5; page++) {
    const res = http.get(`${BASE}/v1/products?inStock=true&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { tags: { name: 'setup' } });
    for (const item of res.json('items') as { slug: string; id: number; stock: number }[]) {
      catalog.slugs.push(item.slug);
      if (item.stock >= 50) catalog.productIds.push(item.id);
    }
    cursor = res.json('nextCursor') as string | null;
    if (!cursor) break;
  }
  return catalog;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const think = () => sleep(THINK_MIN + Math.random() * (THINK_MAX - THINK_MIN));
const uuid = () =>
  'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });

/** Each shopper its own address, as through a real ingress (the API trusts the proxy's X-Forwarded-For). */
function shopperHeaders(token?: string): Record<string, string> {
  const vu = exec.vu.idInTest;
  const headers: Record<string, string> = {
    'x-forwarded-for': `10.${(vu >> 16) & 255}.${(vu >> 8) & 255}.${vu & 255}`,
    'accept-encoding': 'gzip',
  };
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
}

type Res = RefinedResponse<ResponseType | undefined>;

/**
 * A read as the storefront does it: one retry after Retry-After (at most 3 s) on 502/503/504
 * or no answer. The raw attempts are in k6's http_req_* metrics; shopper_failed is the outcome.
 */
function read(path: string, name: string, headers: Record<string, string>): Res {
  let res = http.get(`${BASE}${path}`, { headers, tags: { name } });
  if (res.status === 0 || res.status === 502 || res.status === 503 || res.status === 504) {
    sleep(Math.min(Number(res.headers['Retry-After'] ?? 1), 3));
    res = http.get(`${BASE}${path}`, { headers, tags: { name, retry: 'true' } });
  }
  shopperFailed.add(res.status === 0 || res.status >= 500, { name });
  return res;
}

/** An idempotent write (PUT sets a quantity): retried like a read, up to three times. */
function put(path: string, name: string, headers: Record<string, string>, body: unknown): Res {
  const params = { headers: { ...headers, 'content-type': 'application/json' }, tags: { name } };
  let res = http.put(`${BASE}${path}`, JSON.stringify(body), params);
  for (let attempt = 1; attempt < 3 && (res.status === 0 || res.status === 502 || res.status === 503 || res.status === 504); attempt++) {
    sleep(Math.min(Number(res.headers['Retry-After'] ?? 1), 3));
    res = http.put(`${BASE}${path}`, JSON.stringify(body), { ...params, tags: { name, retry: 'true' } });
  }
  shopperFailed.add(res.status === 0 || res.status >= 500, { name });
  return res;
}

/**
 * Checkout like the storefront: the same Idempotency-Key and body on every retry, retried on no
 * answer, 5xx and 409 CHECKOUT_IN_PROGRESS for up to 30 s, so a fault mid-checkout never makes a
 * second order and never loses the first.
 */
function checkout(headers: Record<string, string>): void {
  const key = uuid();
  const body = JSON.stringify({
    shipping: { name: 'Drill Shopper', phone: '01712345678', address: 'House 1, Road 2, Dhanmondi', city: 'Dhaka' },
    payment: { provider: 'bkash' },
  });
  const started = Date.now();
  let res: Res | undefined;
  for (let attempt = 0; Date.now() - started < 30_000; attempt++) {
    res = http.post(`${BASE}/v1/checkout`, body, {
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key },
      tags: { name: 'checkout', ...(attempt > 0 ? { retry: 'true' } : {}) },
    });
    const code = res.status === 409 ? (res.json('error.code') as string) : '';
    const retry = res.status === 0 || res.status >= 500 || code === 'CHECKOUT_IN_PROGRESS';
    if (!retry) break;
    sleep(Math.min(0.25 * 2 ** attempt, 2));
  }
  const status = res?.status ?? 0;
  checkoutLatency.add(Date.now() - started);
  if (status === 200 || status === 201) {
    ordersAcknowledged.add(1, { order_id: res?.json('id') as string, key });
    checkoutOutcomes.add(1, { outcome: 'acknowledged' });
  } else {
    const code = status >= 400 && status < 500 ? ((res?.json('error.code') as string) ?? String(status)) : `failed_${status}`;
    checkoutOutcomes.add(1, { outcome: code });
  }
  shopperFailed.add(status === 0 || status >= 500, { name: 'checkout' });
}

function shopperSession(catalog: Catalog) {
  const customer = Math.random() < 0.6 && accounts.length > 0;
  const token = customer ? accounts[Math.floor(Math.random() * accounts.length)]?.token : undefined;
  const headers = shopperHeaders(token);
  let guestCart: string | undefined;
  let inCart = 0;
  for (let i = 0; i < ACTIONS; i++) {
    // browse 10 : view cart 3 : add to cart 2 : checkout 1 (checkout needs an account and a cart)
    const roll = Math.random() * 16;
    if (roll < 10) {
      const browse = Math.random();
      if (browse < 0.4) read(`/v1/products?category=${pick(catalog.categories)}&limit=24`, 'list', headers);
      else if (browse < 0.6)
        read(`/v1/products?q=${pick(['phone', 'samsung', 'laptop', 'tv', 'fan', 'iphon', 'walton'])}&limit=24`, 'search', headers);
      else read(`/v1/products/${pick(catalog.slugs)}`, 'detail', headers);
    } else if (roll < 13) {
      read('/v1/cart', 'cart', guestCart ? { ...headers, 'x-cart-id': guestCart } : headers);
    } else if (roll < 15 || (customer && inCart === 0)) {
      const res = put(`/v1/cart/items/${pick(catalog.productIds)}`, 'add', guestCart ? { ...headers, 'x-cart-id': guestCart } : headers, {
        quantity: 1,
      });
      if (res.status === 200) {
        inCart++;
        if (!customer) guestCart = res.json('id') as string;
      }
    } else if (customer && inCart > 0) {
      checkout(headers);
      inCart = 0;
    }
    if (i < ACTIONS - 1) think();
  }
}

/** Flash sale: each buyer puts the one product in the cart and checks out at once. */
function flashBuyer() {
  const account = accounts[exec.scenario.iterationInTest % accounts.length] as { token: string };
  const headers = shopperHeaders(account.token);
  const add = put(`/v1/cart/items/${FLASH_PRODUCT}`, 'add', headers, { quantity: 1 });
  check(add, { 'added or sold out': (r) => r.status === 200 || r.status === 409 });
  if (add.status === 200) checkout(headers);
  else checkoutOutcomes.add(1, { outcome: add.status === 409 ? 'sold_out_before_checkout' : `add_failed_${add.status}` });
}

export default function (catalog: Catalog) {
  if (MODE === 'flash') flashBuyer();
  else shopperSession(catalog);
}
