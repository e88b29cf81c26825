/**
 * The drill report a student reads at a glance: a verdict line per drill, the
 * numbers behind it, and a chart of throughput, failures and p99 over time
 * with the fault window shaded.
 */
import type { DrillResult } from './drill.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Throughput (requests/s, blue), failures (red bars) and p99 (ms, orange, right axis) per second. */
export function chartSvg(result: DrillResult): string {
  const series = result.measured.series;
  const width = 900;
  const height = 280;
  const pad = { left: 56, right: 64, top: 34, bottom: 40 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const seconds = Math.max(series.length, 1);
  const maxRps = Math.max(5, ...series.map((p) => p.requests));
  const maxP99 = Math.max(50, ...series.map((p) => p.p99));
  const x = (s: number) => pad.left + (s / seconds) * w;
  const yRps = (v: number) => pad.top + h - (v / maxRps) * h;
  const yP99 = (v: number) => pad.top + h - (v / maxP99) * h;
  const line = (points: [number, number][]) => points.map(([a, b], i) => `${i ? 'L' : 'M'}${a.toFixed(1)},${b.toFixed(1)}`).join(' ');
  const { startSecond, endSecond } = result.fault;
  const faultWidth = Math.max(2, x(endSecond) - x(startSecond));
  const ticks = Array.from({ length: 6 }, (_, i) => Math.round((i * seconds) / 5));
  const verdict = result.pass ? 'PASS' : 'FAIL';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
  <rect width="${width}" height="${height}" fill="#fff"/>
  <text x="${pad.left}" y="20" font-size="14" font-weight="bold">${esc(result.scenario.title)} (${esc(result.target)}): <tspan fill="${result.pass ? '#1a7f37' : '#cf222e'}">${verdict}</tspan></text>
  ${result.scenario.inject ? `<rect x="${x(startSecond).toFixed(1)}" y="${pad.top}" width="${faultWidth.toFixed(1)}" height="${h}" fill="#f6d2d2" opacity="0.7"/><text x="${(x(startSecond) + 4).toFixed(1)}" y="${pad.top + 14}" fill="#a40e26">fault</text>` : ''}
  <line x1="${pad.left}" y1="${pad.top + h}" x2="${pad.left + w}" y2="${pad.top + h}" stroke="#888"/>
  <line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + h}" stroke="#888"/>
  <line x1="${pad.left + w}" y1="${pad.top}" x2="${pad.left + w}" y2="${pad.top + h}" stroke="#888"/>
  ${ticks.map((t) => `<text x="${x(t).toFixed(1)}" y="${pad.top + h + 16}" text-anchor="middle">${t}s</text>`).join('\n  ')}
  <text x="${pad.left - 8}" y="${pad.top + 4}" text-anchor="end" fill="#0969da">${maxRps}</text>
  <text x="${pad.left - 8}" y="${pad.top + h}" text-anchor="end" fill="#0969da">0</text>
  <text x="${pad.left + w + 8}" y="${pad.top + 4}" fill="#bc4c00">${Math.round(maxP99)} ms</text>
  <text x="${pad.left + w + 8}" y="${pad.top + h}" fill="#bc4c00">0</text>
  ${series
    .filter((p) => p.failed > 0)
    .map(
      (p) =>
        `<rect x="${x(p.second).toFixed(1)}" y="${yRps(p.failed).toFixed(1)}" width="${Math.max(1.5, w / seconds - 1).toFixed(1)}" height="${(pad.top + h - yRps(p.failed)).toFixed(1)}" fill="#cf222e"/>`,
    )
    .join('\n  ')}
  <path d="${line(series.map((p) => [x(p.second), yRps(p.requests)]))}" fill="none" stroke="#0969da" stroke-width="1.5"/>
  <path d="${line(series.map((p) => [x(p.second), yP99(p.p99)]))}" fill="none" stroke="#bc4c00" stroke-width="1.2" stroke-dasharray="4 2"/>
  <text x="${pad.left}" y="${height - 8}" fill="#0969da">— requests/s</text>
  <text x="${pad.left + 110}" y="${height - 8}" fill="#cf222e">▮ failed requests/s (5xx or no answer, before client retries)</text>
  <text x="${pad.left + 470}" y="${height - 8}" fill="#bc4c00">- - p99 latency (right axis)</text>
</svg>
`;
}

const pct = (r: number) => `${(r * 100).toFixed(r === 1 ? 0 : 2)} %`;

export function markdown(results: DrillResult[], chartFile: (r: DrillResult) => string, notes: string[] = []): string {
  const lines: string[] = [];
  lines.push('# Drill report', '');
  lines.push(
    `Target: **${results[0]?.target ?? '?'}**, ${results[0]?.startedAt.toISOString() ?? ''}. Each drill is shopper load with one fault in the middle.`,
    '',
  );
  for (const n of notes) lines.push(`> ${n}`, '');
  lines.push('| drill | verdict | SLO | fault |', '| --- | --- | --- | --- |');
  for (const r of results) lines.push(`| ${r.scenario.id} | **${r.pass ? 'PASS' : 'FAIL'}** | ${r.scenario.slo} | ${r.faultDescription} |`);
  for (const r of results) {
    const m = r.measured;
    lines.push('', `## ${r.scenario.title}: ${r.pass ? 'PASS' : 'FAIL'}`, '');
    lines.push(`![${r.scenario.id}](${chartFile(r)})`, '');
    lines.push(`Fault: ${r.faultDescription}. SLO: ${r.scenario.slo}.`, '');
    lines.push('| check | measured | |', '| --- | --- | --- |');
    for (const c of r.checks) lines.push(`| ${c.what} | ${c.measured} | ${c.pass ? 'ok' : '**missed**'} |`);
    lines.push('', '| route class | requests | failed (after client retry) | availability |', '| --- | ---: | ---: | ---: |');
    for (const [name, a] of Object.entries(m.availability).sort())
      lines.push(`| ${name} | ${a.requests} | ${a.failed} | ${pct(a.ratio)} |`);
    lines.push('', '| window | requests | 5xx or no answer | p50 ms | p95 ms | p99 ms |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, w] of Object.entries(m.windows))
      lines.push(`| ${name} | ${w.requests} | ${w.rawFailures} | ${w.p50} | ${w.p95} | ${w.p99} |`);
    lines.push(
      '',
      `Longest run of failures: ${m.longestFailureRunSeconds} s. Longest time without a successful write: ${m.longestWriteGapSeconds} s. ` +
        `Recovered ${m.recoverySeconds} s after the fault began. Raw failures by status: ${JSON.stringify(m.rawFailures.byStatus)}. ` +
        `Checkouts: ${JSON.stringify(m.checkouts)}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
