import t from 'tap';
import { harness } from './helpers/harness.js';

/** Blocks this process's event loop, as a CPU-starved pod would be. */
function busy(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The real signal (event-loop delay, sampled every 500 ms), made independent of
 * how busy the machine is: the threshold (300 ms) is far above what a loaded CI
 * machine's event loop lags, the block (1.5 s) far above the threshold, and the
 * states before and after are waited for rather than assumed.
 */
t.test('a saturated event loop sheds load with a fast 503, but probes and metrics still answer', async (t) => {
  const h = await harness(t, { env: { MAX_EVENT_LOOP_DELAY_MS: '300' } });
  const categories = async () => (await h.app.inject({ method: 'GET', url: '/v1/categories' })).statusCode;
  let before = 0;
  for (let i = 0; i < 100 && before !== 200; i++) {
    before = await categories();
    if (before !== 200) await sleep(200);
  }
  t.equal(before, 200, 'serves normally while the loop is free');

  // Block the loop until a sample has seen it (the first block may straddle a sample boundary).
  let shed = false;
  for (let i = 0; i < 10 && !shed; i++) {
    busy(1500);
    await sleep(10);
    const res = await h.app.inject({ method: 'GET', url: '/v1/categories' });
    if (res.statusCode === 503) {
      shed = true;
      t.equal(res.json().error.code, 'OVERLOADED');
      t.equal(res.headers['retry-after'], '5');
      t.equal((await h.app.inject({ method: 'GET', url: '/livez' })).statusCode, 200, 'liveness still answers');
      t.not((await h.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503, 'readiness is not shed either');
      const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
      t.equal(metrics.statusCode, 200, `metrics still answer: ${metrics.body.slice(0, 200)}`);
    }
  }
  t.ok(shed, 'requests were shed while the loop was blocked');

  let recovered = 0;
  for (let i = 0; i < 100 && recovered !== 200; i++) {
    await sleep(200);
    recovered = await categories();
  }
  t.equal(recovered, 200, 'serves normally again once the loop is free');
});
