/**
 * Deploy notifications: one event (what happened to which commit where, how long it took, a
 * link) sent to a chat webhook (Slack's incoming-webhook JSON, or Telegram's sendMessage) and
 * by e-mail over SMTP. Channels come from the environment, never from arguments, so their
 * secrets stay out of process lists and logs:
 *   NOTIFY_WEBHOOK_URL      chat webhook (a secret: the URL is the credential)
 *   NOTIFY_WEBHOOK_FORMAT   slack (default) | telegram
 *   NOTIFY_TELEGRAM_CHAT_ID chat id, with the telegram format
 *   NOTIFY_SMTP_URL         smtp[s]://user:password@host:port (a secret)
 *   NOTIFY_EMAIL_FROM, NOTIFY_EMAIL_TO (comma-separated)
 * A channel that is not configured is skipped and said so; one that fails is retried, then
 * reported. The sender never decides the deploy's outcome: deploy.sh does.
 */
import nodemailer from 'nodemailer';

export type DeployStatus = 'success' | 'failure' | 'rolled_back' | 'manual_rollback';

export interface DeployEvent {
  status: DeployStatus;
  environment: string;
  release: string;
  commit: string;
  author: string;
  /** Whole deploy, seconds. */
  durationSeconds: number;
  /** The CI run, or whatever an operator passes. */
  link: string;
  /** Revision now serving, and the one it replaced or returned to. */
  revision?: number;
  previousRevision?: number;
  /** Why it failed or rolled back; empty on success. */
  reason?: string;
  stages?: { name: string; seconds: number; ok: boolean }[];
}

export interface ChannelResult {
  channel: 'webhook' | 'email';
  ok: boolean;
  detail: string;
}

const TITLES: Record<DeployStatus, string> = {
  success: 'deployed',
  failure: 'deploy FAILED',
  rolled_back: 'deploy FAILED and was rolled back',
  manual_rollback: 'rolled back by hand',
};

export function subject(e: DeployEvent): string {
  return `[${e.environment}] ${e.release} ${TITLES[e.status]}: ${e.commit.slice(0, 12)}`;
}

/** The plain-text body, shared by every channel, so they never disagree. */
export function body(e: DeployEvent): string {
  const lines = [
    subject(e),
    `environment: ${e.environment}`,
    `commit: ${e.commit}`,
    `author: ${e.author}`,
    `duration: ${formatDuration(e.durationSeconds)}`,
  ];
  if (e.revision !== undefined) {
    lines.push(`revision: ${e.revision}${e.previousRevision !== undefined ? ` (previous ${e.previousRevision})` : ''}`);
  }
  if (e.reason) lines.push(`reason: ${e.reason}`);
  if (e.stages?.length) {
    lines.push(`stages: ${e.stages.map((s) => `${s.name} ${s.seconds}s${s.ok ? '' : ' FAILED'}`).join(', ')}`);
  }
  lines.push(`link: ${e.link}`);
  return lines.join('\n');
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** Slack incoming-webhook payload: `text` is the fallback, blocks carry the fields. */
export function slackPayload(e: DeployEvent) {
  const emoji = e.status === 'success' ? ':white_check_mark:' : e.status === 'manual_rollback' ? ':rewind:' : ':x:';
  const fields = [
    ['Environment', e.environment],
    ['Commit', `<${e.link}|${e.commit.slice(0, 12)}>`],
    ['Author', e.author],
    ['Duration', formatDuration(e.durationSeconds)],
    ...(e.revision !== undefined ? [['Revision', String(e.revision)]] : []),
  ];
  return {
    text: `${emoji} ${subject(e)}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${emoji} *${subject(e)}*` } },
      { type: 'section', fields: fields.map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${v}` })) },
      ...(e.reason ? [{ type: 'section', text: { type: 'mrkdwn', text: `*Reason*\n${e.reason}` } }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `<${e.link}|Run>` }] },
    ],
  };
}

/** Telegram Bot API sendMessage body (the webhook URL is https://api.telegram.org/bot<token>/sendMessage). */
export function telegramPayload(e: DeployEvent, chatId: string) {
  return { chat_id: chatId, text: body(e), disable_web_page_preview: true };
}

/** Non-retryable: a 4xx answer (bad URL, revoked hook) or a configuration mistake. */
class Permanent extends Error {}

async function withRetries(attempts: number, fn: () => Promise<string>): Promise<string> {
  let last: unknown;
  for (let i = 1; i <= attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      if (err instanceof Permanent) break;
      if (i < attempts) await new Promise((r) => setTimeout(r, 500 * 2 ** (i - 1)));
    }
  }
  throw last;
}

export async function sendWebhook(e: DeployEvent, env: NodeJS.ProcessEnv, attempts = 3): Promise<string> {
  const url = env.NOTIFY_WEBHOOK_URL as string;
  const format = env.NOTIFY_WEBHOOK_FORMAT ?? 'slack';
  if (format !== 'slack' && format !== 'telegram') throw new Permanent(`NOTIFY_WEBHOOK_FORMAT ${format}: slack or telegram`);
  if (format === 'telegram' && !env.NOTIFY_TELEGRAM_CHAT_ID) throw new Permanent('telegram needs NOTIFY_TELEGRAM_CHAT_ID');
  const payload = format === 'slack' ? slackPayload(e) : telegramPayload(e, env.NOTIFY_TELEGRAM_CHAT_ID as string);
  return withRetries(attempts, async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    if (res.ok) return `${format} webhook answered ${res.status}`;
    const message = `${format} webhook answered ${res.status}`;
    // 429 and 5xx may pass on a later try; any other 4xx will not.
    throw res.status >= 500 || res.status === 429 ? new Error(message) : new Permanent(message);
  });
}

export async function sendEmail(e: DeployEvent, env: NodeJS.ProcessEnv, attempts = 3): Promise<string> {
  const to = (env.NOTIFY_EMAIL_TO ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (to.length === 0) throw new Permanent('NOTIFY_SMTP_URL is set but NOTIFY_EMAIL_TO is empty');
  const transport = nodemailer.createTransport(env.NOTIFY_SMTP_URL as string);
  try {
    return await withRetries(attempts, async () => {
      const info = await transport.sendMail({
        from: env.NOTIFY_EMAIL_FROM ?? 'DhakaCart deploys <deploy@dhakacart.lab>',
        to,
        subject: subject(e),
        text: body(e),
        headers: { 'X-DhakaCart-Deploy-Status': e.status, 'X-DhakaCart-Environment': e.environment },
      });
      return `e-mail accepted for ${info.accepted.length} recipient(s)`;
    });
  } finally {
    transport.close();
  }
}

/** Sends to every configured channel; never throws, never prints a channel's URL. */
export async function notify(e: DeployEvent, env: NodeJS.ProcessEnv = process.env): Promise<ChannelResult[]> {
  const jobs: Promise<ChannelResult>[] = [];
  const run = (channel: ChannelResult['channel'], fn: () => Promise<string>) =>
    fn().then(
      (detail) => ({ channel, ok: true, detail }),
      (err: unknown) => ({ channel, ok: false, detail: redact(err instanceof Error ? err.message : String(err), env) }),
    );
  if (env.NOTIFY_WEBHOOK_URL) jobs.push(run('webhook', () => sendWebhook(e, env)));
  if (env.NOTIFY_SMTP_URL) jobs.push(run('email', () => sendEmail(e, env)));
  return Promise.all(jobs);
}

/** Error messages can quote the URL they failed on; the URL holds the credential. */
export function redact(message: string, env: NodeJS.ProcessEnv): string {
  let out = message;
  for (const key of ['NOTIFY_WEBHOOK_URL', 'NOTIFY_SMTP_URL'] as const) {
    const v = env[key];
    if (v) out = out.split(v).join(`<${key}>`);
  }
  return out.replace(/\/\/[^/@\s]+:[^/@\s]+@/g, '//<credentials>@');
}
