import assert from 'node:assert/strict';
import { deriveCallMetrics, type DeriveOptions } from '../../../src/core/metrics/callMetrics';
import { distributionOf, quantileSorted } from '../../../src/core/metrics/distribution';
import type { CallMetrics, ClientTimings, ServerFields } from '../../../src/core/types';

function server(p: Partial<ServerFields>): ServerFields {
  return { total_duration: 0, load_duration: 0, prompt_eval_count: 0, prompt_eval_duration: 0, eval_count: 0, eval_duration: 0, done_reason: null, ...p };
}
function client(firstTokenMs: number | null, endMs: number, chunkMs: number[]): ClientTimings {
  return { sendOffsetMs: 0, headersMs: 1, firstTokenMs, endMs, chunkMs };
}

/** Numbers compared to 1e-9 relative; everything else exactly. */
function assertMetrics(actual: CallMetrics, expected: CallMetrics): void {
  for (const key of Object.keys(expected) as (keyof CallMetrics)[]) {
    const a = actual[key];
    const e = expected[key];
    if (typeof e === 'number' && typeof a === 'number') {
      assert.ok(Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e)), `${key}: ${a} != ${e}`);
    } else if (e && typeof e === 'object' && a && typeof a === 'object') {
      for (const k of Object.keys(e) as (keyof typeof e)[]) assert.ok(Math.abs((a[k] as number) - (e[k] as number)) <= 1e-9, `${key}.${k}: ${a[k]} != ${e[k]}`);
    } else {
      assert.equal(a, e, key);
    }
  }
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
}

const cases: { name: string; server: ServerFields | null; client: ClientTimings; opts?: DeriveOptions; expected: CallMetrics }[] = [
  {
    name: 'full streamed call with a network estimate',
    server: server({ total_duration: 2_100_000_000, load_duration: 2_000_000, prompt_eval_count: 26, prompt_eval_duration: 48_000_000, eval_count: 100, eval_duration: 2_000_000_000, done_reason: 'length' }),
    client: client(80, 2080, [80, 100, 130, 170, 220]),
    opts: { networkMs: 0.5 },
    expected: {
      ttft_ms: 80, server_ttft_ms: 50, queue_ms: 29.5, decode_tps: 50, e2e_tps: 50, tpot_ms: 2000 / 99,
      itl_ms: { p50: 35, p95: 48.5, p99: 49.7, max: 50, n: 4 }, e2e_ms: 2080, load_ms: 2, prompt_eval_ms: 48, prompt_tps: 26 / 0.048, cold: false,
    },
  },
  {
    name: 'absent zero fields (load request): zeros, not missing data',
    server: server({ total_duration: 1_000_000, done_reason: 'load' }),
    client: client(null, 5, []),
    opts: { networkMs: 0.5 },
    expected: {
      ttft_ms: null, server_ttft_ms: 0, queue_ms: null, decode_tps: null, e2e_tps: null, tpot_ms: null,
      itl_ms: null, e2e_ms: 5, load_ms: 0, prompt_eval_ms: 0, prompt_tps: null, cold: false,
    },
  },
  {
    name: 'eval_count 1: no tpot, no ITL; cold load',
    server: server({ load_duration: 30_000_000, prompt_eval_count: 3, prompt_eval_duration: 1_500_000, eval_count: 1, eval_duration: 250_000, done_reason: 'length' }),
    client: client(40, 41, [40]),
    expected: {
      ttft_ms: 40, server_ttft_ms: 31.5, queue_ms: null, decode_tps: 4000, e2e_tps: 1000, tpot_ms: null,
      itl_ms: null, e2e_ms: 41, load_ms: 30, prompt_eval_ms: 1.5, prompt_tps: 2000, cold: true,
    },
  },
  {
    name: 'failed call without server fields keeps client metrics',
    server: null,
    client: client(10, 30, [10, 15, 25]),
    opts: { networkMs: 1 },
    expected: {
      ttft_ms: 10, server_ttft_ms: null, queue_ms: null, decode_tps: null, e2e_tps: null, tpot_ms: null,
      itl_ms: { p50: 7.5, p95: 9.75, p99: 9.95, max: 10, n: 2 }, e2e_ms: 30, load_ms: null, prompt_eval_ms: null, prompt_tps: null, cold: null,
    },
  },
  {
    name: 'no content chunks (num_predict 0): no client rates',
    server: server({ load_duration: 100_000, prompt_eval_count: 5, prompt_eval_duration: 2_000_000, done_reason: 'length' }),
    client: client(null, 12, []),
    expected: {
      ttft_ms: null, server_ttft_ms: 2.1, queue_ms: null, decode_tps: null, e2e_tps: null, tpot_ms: null,
      itl_ms: null, e2e_ms: 12, load_ms: 0.1, prompt_eval_ms: 2, prompt_tps: 2500, cold: false,
    },
  },
  {
    name: 'cold threshold is inclusive and configurable',
    server: server({ load_duration: 5_000_000, eval_count: 4, eval_duration: 40_000_000 }),
    client: client(6, 36, [6, 16, 26, 36]),
    opts: { coldThresholdMs: 5 },
    expected: {
      ttft_ms: 6, server_ttft_ms: 5, queue_ms: null, decode_tps: 100, e2e_tps: 4 / 0.03, tpot_ms: 10,
      itl_ms: { p50: 10, p95: 10, p99: 10, max: 10, n: 3 }, e2e_ms: 36, load_ms: 5, prompt_eval_ms: 0, prompt_tps: null, cold: true,
    },
  },
  {
    name: 'queue_ms keeps a negative value from clock noise',
    server: server({ load_duration: 1_000_000, prompt_eval_duration: 9_000_000, eval_count: 2, eval_duration: 10_000_000 }),
    client: client(10.2, 20.2, [10.2, 20.2]),
    opts: { networkMs: 0.4 },
    expected: {
      ttft_ms: 10.2, server_ttft_ms: 10, queue_ms: 10.2 - 10 - 0.4, decode_tps: 200, e2e_tps: 200, tpot_ms: 10,
      itl_ms: { p50: 10, p95: 10, p99: 10, max: 10, n: 1 }, e2e_ms: 20.2, load_ms: 1, prompt_eval_ms: 9, prompt_tps: null, cold: false,
    },
  },
];

describe('deriveCallMetrics (PRODUCT.md §3)', () => {
  for (const c of cases) {
    it(c.name, () => assertMetrics(deriveCallMetrics(c.server, c.client, c.opts), c.expected));
  }
});

describe('percentiles (linear interpolation, k = (n−1)·p)', () => {
  const table: { values: number[]; p: number; expected: number }[] = [
    { values: [1, 2, 3, 4], p: 0.5, expected: 2.5 },
    { values: [1, 2, 3, 4], p: 0, expected: 1 },
    { values: [1, 2, 3, 4], p: 1, expected: 4 },
    { values: [10, 20], p: 0.95, expected: 19.5 },
    { values: [7], p: 0.99, expected: 7 },
  ];
  for (const t of table) it(`q(${t.values.join(',')}; ${t.p}) = ${t.expected}`, () => assert.ok(Math.abs(quantileSorted(t.values, t.p) - t.expected) < 1e-12));
  it('an empty list has no quantile and no distribution', () => {
    assert.ok(Number.isNaN(quantileSorted([], 0.5)));
    assert.equal(distributionOf([]), null);
  });
  it('distributionOf sorts its input without changing it', () => {
    const values = [50, 20, 40, 30];
    const d = distributionOf(values);
    assert.ok(d);
    assert.deepEqual([d.p50, d.max, d.n], [35, 50, 4]);
    assert.ok(Math.abs(d.p95 - 48.5) < 1e-9 && Math.abs(d.p99 - 49.7) < 1e-9);
    assert.deepEqual(values, [50, 20, 40, 30]);
  });
});
