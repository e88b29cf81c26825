import t from 'tap';
import { harness } from './helpers/harness.js';

/** Blocks this process's event loop, as a CPU-starved pod would be. */
function busy(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin
  }
}

t.test('a saturated event loop sheds load with a fast 503, but probes and metrics still answer', async (t) => {
  const h = await harness(t, { env: { MAX_EVENT_LOOP_DELAY_MS: '100' } });
  t.equal((await h.app.inject({ method: 'GET', url: '/v1/categories' })).statusCode, 200, 'normal before');
  let shed = false;
  // The event-loop delay is sampled every 500 ms: block the loop until a sample has seen it.
  for (let i = 0; i < 10 && !shed; i++) {
    busy(700);
    await new Promise((r) => setTimeout(r, 10));
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
  for (let i = 0; i < 40 && recovered !== 200; i++) {
    await new Promise((r) => setTimeout(r, 100));
    recovered = (await h.app.inject({ method: 'GET', url: '/v1/categories' })).statusCode;
  }
  t.equal(recovered, 200, 'serves normally again once the loop is free');
});
