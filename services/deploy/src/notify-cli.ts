/**
 * `node --import tsx services/deploy/src/notify-cli.ts --status success --environment lab ...`
 * (deploy.sh and rollback.sh call it; an operator can too). Commit, author and link default to
 * the GitHub Actions environment, then to git. Exit 0 when every configured channel took the
 * message (or none is configured), 1 otherwise.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { type DeployEvent, type DeployStatus, notify } from './notify.js';

const { values } = parseArgs({
  options: {
    status: { type: 'string' },
    environment: { type: 'string', default: process.env.DEPLOY_ENVIRONMENT ?? 'lab' },
    release: { type: 'string', default: 'dhakacart' },
    commit: { type: 'string' },
    author: { type: 'string' },
    duration: { type: 'string', default: '0' },
    link: { type: 'string' },
    revision: { type: 'string' },
    'previous-revision': { type: 'string' },
    reason: { type: 'string' },
    // name=seconds[:failed],... as deploy.sh records them
    stages: { type: 'string' },
  },
});

const statuses: DeployStatus[] = ['success', 'failure', 'rolled_back', 'manual_rollback'];
if (!statuses.includes(values.status as DeployStatus)) {
  console.error(`notify: --status must be one of ${statuses.join(', ')}`);
  process.exit(2);
}
const git = (...args: string[]) => {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};
const env = process.env;
const commit = values.commit || env.GITHUB_SHA || git('rev-parse', 'HEAD') || 'unknown';
const runLink =
  env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
    : '';
const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
const event: DeployEvent = {
  status: values.status as DeployStatus,
  environment: values.environment as string,
  release: values.release as string,
  commit,
  author: values.author || git('log', '-1', '--format=%an <%ae>', commit) || env.GITHUB_ACTOR || 'unknown',
  durationSeconds: Number(values.duration),
  link: values.link || env.DEPLOY_LINK || runLink || `commit ${commit}`,
  revision: num(values.revision),
  previousRevision: num(values['previous-revision']),
  reason: values.reason,
  stages: values.stages
    ? values.stages
        .split(',')
        .filter(Boolean)
        .map((s) => {
          const [name = '', rest = ''] = s.split('=');
          const [secs, flag] = rest.split(':');
          return { name, seconds: Number(secs), ok: flag !== 'failed' };
        })
    : undefined,
};

const results = await notify(event);
if (results.length === 0) console.log('notify: no channel configured (NOTIFY_WEBHOOK_URL, NOTIFY_SMTP_URL): nothing sent');
for (const r of results) console.log(`notify: ${r.channel} ${r.ok ? 'sent' : 'FAILED'}: ${r.detail}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
