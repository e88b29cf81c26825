/**
 * The storefront as shoppers get it: the production build (built here when the sources changed),
 * served by a small static server that proxies /v1 to a real API process on a real database, so
 * the browser talks to one origin and CORS never comes into it. Browsers are Debian's Chromium
 * driven by playwright-core.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { apiProcessEnv, ensureUser, startServerProcess } from '@dhakacart/api/testing';
import { freePort } from '@dhakacart/devstack';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Test } from 'tap';
import { createStorefrontServer } from '../../server/static-proxy.ts';

export const webRoot = join(import.meta.dirname, '..', '..');
const dist = join(webRoot, 'dist');
const run = promisify(execFile);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}

/** Hash of everything that goes into the build: a stale dist/ would test old code. */
function sourceHash() {
  // The recipe is part of the hash: a change in how tests build must rebuild.
  const hash = createHash('sha256').update('vite build, NODE_ENV=production');
  const files = [
    ...sourceFiles(join(webRoot, 'src')),
    ...sourceFiles(join(webRoot, 'images')),
    join(webRoot, '..', 'services', 'api', 'src', 'seed', 'product-images.ts'),
    join(webRoot, 'index.html'),
    join(webRoot, 'vite.config.ts'),
    join(webRoot, 'package.json'),
  ];
  for (const file of files.sort()) hash.update(relative(webRoot, file)).update(readFileSync(file));
  return hash.digest('hex');
}

/** Build once per source change; parallel test files wait on a lock directory (bounded). */
export async function ensureBuilt(): Promise<void> {
  const wanted = sourceHash();
  const stamp = join(dist, '.source-hash');
  const lock = join(webRoot, '.build-lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
    try {
      mkdirSync(lock);
    } catch {
      // Another file is building; a lock older than 2 minutes belongs to a dead process.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another storefront build');
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
      // A child process with NODE_ENV=production: the test runner sets NODE_ENV=test, and under it Vite
      // would bundle React's development build (double effects, 2x size): not what shoppers get.
      const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
      await run(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
        cwd: webRoot,
        env: { ...process.env, NODE_ENV: 'production' },
        timeout: 120_000,
      });
      writeFileSync(stamp, wanted);
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** Static files from dist/ with the SPA fallback, and /v1 proxied to the API (what nginx does in the cluster). */
export async function serveStorefront(t: Test, apiUrl: string): Promise<string> {
  const server = createStorefrontServer({ dist, apiUrl });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${port}`;
}

export interface Shop {
  url: string;
  apiUrl: string;
  databaseUrl: string;
  browser: Browser;
  user(role?: 'customer' | 'staff' | 'admin'): Promise<{ email: string; password: string; id: string }>;
  /** A fresh shopper: own cookies and storage, a phone or desktop viewport. */
  shopper(width?: number): Promise<{ context: BrowserContext; page: Page }>;
  /** Staff calls straight to the API (setup that is not under test). */
  asStaff(): Promise<(path: string, init?: { method?: string; body?: unknown }) => Promise<Response>>;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function startShop(t: Test, env: Record<string, string> = {}): Promise<Shop> {
  const [apiEnv] = await Promise.all([apiProcessEnv(t), ensureBuilt()]);
  const databaseUrl = apiEnv.DATABASE_URL;
  const server = await startServerProcess(t, {
    ...apiEnv,
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000000',
    PAYMENT_TIMEOUT_MS: '300',
    SHUTDOWN_DELAY_MS: '0',
    // Load shedding answers 503 when the event loop lags: on a busy test machine (Chromium, PostgreSQL
    // and other suites on two cores) it would fail journeys at random. The API tests it on its own.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const url = await serveStorefront(t, server.url);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
  t.teardown(() => browser.close());
  let n = 0;
  const user: Shop['user'] = async (role = 'customer') => {
    n += 1;
    const email = `${role}-${n}-${randomBytes(3).toString('hex')}@example.test`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const id = await ensureUser(databaseUrl, { email, password, name: `Test ${role} ${n}`, role });
    return { email, password, id };
  };
  return {
    url,
    apiUrl: server.url,
    databaseUrl,
    browser,
    user,
    async shopper(width = 1280) {
      const context = await browser.newContext({
        viewport: { width, height: width < 700 ? 780 : 900 },
        baseURL: url,
        locale: 'en-US',
        timezoneId: 'Asia/Dhaka',
      });
      context.setDefaultTimeout(20_000);
      context.setDefaultNavigationTimeout(30_000);
      t.teardown(() => context.close());
      return { context, page: await context.newPage() };
    },
    async asStaff() {
      const staff = await user('staff');
      const login = await fetch(`${server.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: staff.email, password: staff.password }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      return (path, init = {}) =>
        fetch(`${server.url}${path}`, {
          method: init.method ?? 'GET',
          headers: { authorization: `Bearer ${accessToken}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
          body: init.body ? JSON.stringify(init.body) : undefined,
        });
    },
  };
}

/** Log in through the UI. */
export async function login(page: Page, email: string, password: string) {
  await page.getByRole('link', { name: 'Log in' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

/** Scroll width wider than the viewport means a shopper on a phone has to pan sideways. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Every input, select and textarea has an accessible name (a label, aria-label or aria-labelledby). */
export async function unlabelledFields(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter((el) => {
        const field = el as HTMLInputElement;
        return !(field.labels?.length || field.getAttribute('aria-label') || field.getAttribute('aria-labelledby'));
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/**
 * Labels and buttons whose single word was squeezed onto two lines ("Quantit / y"): each word of
 * their own text must sit on one line box.
 */
export async function wordsBrokenAcrossLines(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    for (const el of document.querySelectorAll('label, button')) {
      for (const node of el.childNodes) {
        if (node.nodeType !== Node.TEXT_NODE) continue;
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index ?? 0);
          range.setEnd(node, (match.index ?? 0) + match[0].length);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (tops.size > 1) broken.push(`${el.tagName.toLowerCase()}: "${match[0]}"`);
        }
      }
    }
    return broken;
  });
}

/**
 * Screenshots go to a git-ignored folder, so tests never dirty the tree; `make screenshots`
 * runs the browser tests with SCREENSHOT_DIR=docs/screenshots to refresh the committed ones.
 */
export const screenshotDir = process.env.SCREENSHOT_DIR
  ? resolve(webRoot, '..', process.env.SCREENSHOT_DIR)
  : join(webRoot, '..', '.cache', 'screenshots');
export async function screenshot(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  // Fonts still loading would show fallback text (or none, for the Taka sign's block period).
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: false, animations: 'disabled' });
}
