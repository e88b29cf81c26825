/**
 * The deploy notifier against real local receivers: an HTTP server standing in for the chat
 * webhook (Slack's and Telegram's shapes) and smtp-server as the mail sink (SMTP with AUTH
 * over the wire, what nodemailer speaks to any relay). The payloads are asserted field by field,
 * and so are retries, a permanent refusal, and that no credential reaches the output.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';
import t from 'tap';
import { type DeployEvent, notify } from '../src/notify.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..');

interface Hook {
  url: string;
  bodies: unknown[];
  /** Status to answer per request, in order; 200 after the list runs out. */
  answers: number[];
  close: () => Promise<void>;
}

async function webhook(answers: number[] = []): Promise<Hook> {
  const bodies: unknown[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (d) => {
      data += d;
    });
    req.on('end', () => {
      bodies.push({ path: req.url, contentType: req.headers['content-type'], json: JSON.parse(data) });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/secret-token-part`,
    bodies,
    answers,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

interface Mail {
  from: string;
  to: string[];
  user: string;
  raw: string;
}

async function smtpSink(): Promise<{ url: string; mails: Mail[]; close: () => Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true, // loopback only; the lab's relay takes STARTTLS
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'deploy-bot' && auth.password === 'smtp-pass-123') cb(null, { user: auth.username });
      else cb(new Error('bad credentials'));
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => {
        raw += d.toString('utf8');
      });
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: String(session.user),
          raw,
        });
        cb();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://deploy-bot:smtp-pass-123@127.0.0.1:${port}`,
    mails,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const event: DeployEvent = {
  status: 'rolled_back',
  environment: 'lab',
  release: 'dhakacart',
  commit: '0123456789abcdef0123456789abcdef01234567',
  author: 'Rahim Uddin <rahim@dhakacart.lab>',
  durationSeconds: 187,
  link: 'https://github.example/dhakacart/platform/actions/runs/42',
  revision: 7,
  previousRevision: 6,
  reason: 'helm upgrade: timed out waiting for the API to become ready',
  stages: [
    { name: 'deploy', seconds: 180, ok: false },
    { name: 'rollback', seconds: 7, ok: true },
  ],
};

t.test('Slack webhook and e-mail: commit, author, duration, environment, link', async (t) => {
  const hook = await webhook();
  const smtp = await smtpSink();
  t.teardown(async () => {
    await hook.close();
    await smtp.close();
  });
  const env = {
    NOTIFY_WEBHOOK_URL: hook.url,
    NOTIFY_SMTP_URL: smtp.url,
    NOTIFY_EMAIL_FROM: 'DhakaCart deploys <deploy@dhakacart.lab>',
    NOTIFY_EMAIL_TO: 'oncall@dhakacart.lab, cto@dhakacart.lab',
  };
  const results = await notify(event, env);
  t.same(
    results.map((r) => [r.channel, r.ok]),
    [
      ['webhook', true],
      ['email', true],
    ],
  );

  t.equal(hook.bodies.length, 1, 'one POST');
  const posted = hook.bodies[0] as { path: string; contentType: string; json: Record<string, unknown> };
  t.equal(posted.path, '/services/T000/B000/secret-token-part');
  t.equal(posted.contentType, 'application/json');
  const slack = posted.json as { text: string; blocks: { type: string; fields?: { text: string }[]; text?: { text: string } }[] };
  t.equal(slack.text, ':x: [lab] dhakacart deploy FAILED and was rolled back: 0123456789ab');
  const fields = slack.blocks.flatMap((b) => b.fields ?? []).map((f) => f.text);
  t.same(fields, [
    '*Environment*\nlab',
    '*Commit*\n<https://github.example/dhakacart/platform/actions/runs/42|0123456789ab>',
    '*Author*\nRahim Uddin <rahim@dhakacart.lab>',
    '*Duration*\n3 min 7 s',
    '*Revision*\n7',
  ]);
  t.ok(
    slack.blocks.some((b) => b.text?.text === '*Reason*\nhelm upgrade: timed out waiting for the API to become ready'),
    'the reason is in the message',
  );

  t.equal(smtp.mails.length, 1, 'one mail');
  const mail = smtp.mails[0] as Mail;
  t.equal(mail.user, 'deploy-bot', 'authenticated with the SMTP credentials');
  t.equal(mail.from, 'deploy@dhakacart.lab');
  t.same(mail.to, ['oncall@dhakacart.lab', 'cto@dhakacart.lab']);
  t.match(mail.raw, /^Subject: \[lab\] dhakacart deploy FAILED and was rolled back: 0123456789ab\r?$/m);
  t.match(mail.raw, /^X-DhakaCart-Deploy-Status: rolled_back\r?$/im, 'status header (nodemailer normalises its case)');
  for (const line of [
    'environment: lab',
    'commit: 0123456789abcdef0123456789abcdef01234567',
    'author: Rahim Uddin <rahim@dhakacart.lab>',
    'duration: 3 min 7 s',
    'revision: 7 (previous 6)',
    'reason: helm upgrade: timed out waiting for the API to become ready',
    'stages: deploy 180s FAILED, rollback 7s',
    'link: https://github.example/dhakacart/platform/actions/runs/42',
  ]) {
    t.ok(mail.raw.includes(line), `mail body has "${line}"`);
  }
});

t.test('Telegram format: sendMessage body with the chat id and the same text', async (t) => {
  const hook = await webhook();
  t.teardown(() => hook.close());
  const results = await notify(
    { ...event, status: 'success', reason: undefined, revision: 8, previousRevision: 7 },
    { NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_WEBHOOK_FORMAT: 'telegram', NOTIFY_TELEGRAM_CHAT_ID: '-100123' },
  );
  t.ok(results[0]?.ok);
  const json = (hook.bodies[0] as { json: { chat_id: string; text: string } }).json;
  t.equal(json.chat_id, '-100123');
  t.match(json.text, /^\[lab\] dhakacart deployed: 0123456789ab\nenvironment: lab\n/);
  t.notMatch(json.text, /reason:/);
});

t.test('a 503 is retried, a 404 is not, and neither prints the webhook URL', async (t) => {
  const flaky = await webhook([503, 503]);
  const gone = await webhook([404, 404, 404]);
  t.teardown(async () => {
    await flaky.close();
    await gone.close();
  });
  const ok = await notify(event, { NOTIFY_WEBHOOK_URL: flaky.url });
  t.ok(ok[0]?.ok, 'third attempt delivered');
  t.equal(flaky.bodies.length, 3);

  const refused = await notify(event, { NOTIFY_WEBHOOK_URL: gone.url });
  t.notOk(refused[0]?.ok);
  t.equal(gone.bodies.length, 1, 'a 404 is final');
  t.equal(refused[0]?.detail, 'slack webhook answered 404');
});

t.test('SMTP refusing the credentials: reported, password never printed', async (t) => {
  const smtp = await smtpSink();
  t.teardown(() => smtp.close());
  const url = smtp.url.replace('smtp-pass-123', 'wrong-pass-456');
  const results = await notify(event, { NOTIFY_SMTP_URL: url, NOTIFY_EMAIL_TO: 'oncall@dhakacart.lab' });
  t.notOk(results[0]?.ok);
  t.equal(smtp.mails.length, 0);
  t.notMatch(results[0]?.detail ?? '', /wrong-pass-456/);
});

t.test('the CLI deploy.sh calls: stages parsed, exit 1 when a channel fails, 0 with none', async (t) => {
  const hook = await webhook();
  t.teardown(() => hook.close());
  const cli = join(root, 'services/deploy/src/notify-cli.ts');
  const args = ['--import', 'tsx', cli, '--status', 'manual_rollback', '--environment', 'lab', '--commit', event.commit];
  const { stdout } = await run(
    process.execPath,
    [...args, '--author', 'Ops <ops@dhakacart.lab>', '--duration', '42', '--revision', '5', '--stages', 'rollback=30,smoke=9,helm-test=3'],
    {
      cwd: root,
      env: {
        ...process.env,
        NOTIFY_WEBHOOK_URL: hook.url,
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_REPOSITORY: 'dhakacart/platform',
        GITHUB_RUN_ID: '99',
      },
    },
  );
  t.match(stdout, /notify: webhook sent: slack webhook answered 200/);
  t.notMatch(stdout, /secret-token-part/, 'the webhook URL is not printed');
  const slack = (hook.bodies[0] as { json: { text: string; blocks: { elements?: { text: string }[] }[] } }).json;
  t.equal(slack.text, ':rewind: [lab] dhakacart rolled back by hand: 0123456789ab');
  t.ok(JSON.stringify(slack.blocks).includes('https://github.example/dhakacart/platform/actions/runs/99'), 'link to the run');

  const noChannel = await run(process.execPath, [...args], {
    cwd: root,
    env: { ...process.env, NOTIFY_WEBHOOK_URL: '', NOTIFY_SMTP_URL: '' },
  });
  t.match(noChannel.stdout, /no channel configured/);

  const failing = await run(process.execPath, [...args], {
    cwd: root,
    env: { ...process.env, NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/hook', NOTIFY_SMTP_URL: '' },
  }).then(
    () => 0,
    (err: { code: number }) => err.code,
  );
  t.equal(failing, 1, 'an undeliverable notification exits 1');
});
