import assert from 'node:assert/strict';
import { DEFAULT_COLD_THRESHOLD_MS, deriveCallMetrics, type DeriveOptions } from '../../../src/core/metrics/callMetrics';
import { CALL_METRIC_DEFINITIONS, callMetricDefinitions } from '../../../src/core/metrics/definitions';
import { distributionOf, quantileSorted } from '../../../src/core/metrics/distribution';
import { DEFAULTS } from '../../../src/core/experiment/normalize';
import { clientDecodeTpsOf } from '../../../src/core/stats/runValues';
import type { CallMetrics, CallRecord, ClientTimings, ServerFields } from '../../../src/core/types';
import schema from '../../../schema/experiment.schema.json';

function server(p: Partial<ServerFields>): ServerFields {
  return { total_duration: 0, load_duration: 0, prompt_eval_count: 0, prompt_eval_duration: 0, eval_count: 0, eval_duration: 0, done_reason: null, ...p };
}
/** A model that does not think: the first token is the first answer token. */
function client(firstTokenMs: number | null, endMs: number, chunkMs: number[], firstAnswerMs: number | null = firstTokenMs): ClientTimings {
  return { sendOffsetMs: 0, headersMs: 1, firstTokenMs, firstAnswerMs, endMs, chunkMs };
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

const NEW_NULLS = { prompt_cached_tokens: null, server_residual_ms: null } as const;

const cases: { name: string; server: ServerFields | null; client: ClientTimings; opts?: DeriveOptions; expected: CallMetrics }[] = [
  {
    name: 'full streamed call with a network estimate',
    server: server({ total_duration: 2_100_000_000, load_duration: 2_000_000, prompt_eval_count: 26, prompt_eval_duration: 48_000_000, eval_count: 100, eval_duration: 2_000_000_000, done_reason: 'length' }),
    client: client(80, 2080, [80, 100, 130, 170, 220]),
    opts: { networkMs: 0.5 },
    expected: {
      ttft_ms: 80, ttft_answer_ms: 80, server_ttft_ms: 50, queue_ms: 29.5, decode_tps: 50, client_decode_tps: 4 / 0.14, tpot_ms: 2000 / 99,
      itl_ms: { p50: 35, p95: 48.5, p99: 49.7, max: 50, n: 4 }, e2e_ms: 2080, load_ms: 2, prompt_eval_ms: 48, prompt_tps: 26 / 0.048,
      prompt_cached_tokens: null, server_residual_ms: 2100 - 2 - 48 - 2000, cold: false, decode_low_precision: false,
    },
  },
  {
    name: 'absent zero fields (load request): zeros, not missing data',
    server: server({ total_duration: 1_000_000, done_reason: 'load' }),
    client: client(null, 5, []),
    opts: { networkMs: 0.5 },
    expected: {
      ttft_ms: null, ttft_answer_ms: null, server_ttft_ms: 0, queue_ms: null, decode_tps: null, client_decode_tps: null, tpot_ms: null,
      itl_ms: null, e2e_ms: 5, load_ms: 0, prompt_eval_ms: 0, prompt_tps: null, prompt_cached_tokens: null, server_residual_ms: 1, cold: false, decode_low_precision: null,
    },
  },
  {
    name: 'eval_count 1: no tpot, no ITL, no client rate, low precision; cold load at the threshold default',
    server: server({ load_duration: 300_000_000, prompt_eval_count: 3, prompt_eval_duration: 1_500_000, eval_count: 1, eval_duration: 250_000, done_reason: 'length' }),
    client: client(310, 311, [310]),
    expected: {
      ttft_ms: 310, ttft_answer_ms: 310, server_ttft_ms: 301.5, queue_ms: null, decode_tps: 4000, client_decode_tps: null, tpot_ms: null,
      itl_ms: null, e2e_ms: 311, load_ms: 300, prompt_eval_ms: 1.5, prompt_tps: 2000, ...NEW_NULLS, cold: true, decode_low_precision: true,
    },
  },
  {
    name: 'a load below the default threshold (100 ms) is not cold',
    server: server({ load_duration: 99_000_000, eval_count: 8, eval_duration: 70_000_000 }),
    client: client(100, 170, [100, 110, 120, 130, 140, 150, 160, 170]),
    expected: {
      ttft_ms: 100, ttft_answer_ms: 100, server_ttft_ms: 99, queue_ms: null, decode_tps: 8 / 0.07, client_decode_tps: 100, tpot_ms: 10,
      itl_ms: { p50: 10, p95: 10, p99: 10, max: 10, n: 7 }, e2e_ms: 170, load_ms: 99, prompt_eval_ms: 0, prompt_tps: null, ...NEW_NULLS, cold: false, decode_low_precision: false,
    },
  },
  {
    name: 'failed call without server fields keeps client metrics',
    server: null,
    client: client(10, 30, [10, 15, 25]),
    opts: { networkMs: 1 },
    expected: {
      ttft_ms: 10, ttft_answer_ms: 10, server_ttft_ms: null, queue_ms: null, decode_tps: null, client_decode_tps: 2 / 0.015, tpot_ms: null,
      itl_ms: { p50: 7.5, p95: 9.75, p99: 9.95, max: 10, n: 2 }, e2e_ms: 30, load_ms: null, prompt_eval_ms: null, prompt_tps: null, ...NEW_NULLS, cold: null, decode_low_precision: null,
    },
  },
  {
    name: 'no content chunks (num_predict 0): no client rates',
    server: server({ load_duration: 100_000, prompt_eval_count: 5, prompt_eval_duration: 2_000_000, done_reason: 'length' }),
    client: client(null, 12, []),
    expected: {
      ttft_ms: null, ttft_answer_ms: null, server_ttft_ms: 2.1, queue_ms: null, decode_tps: null, client_decode_tps: null, tpot_ms: null,
      itl_ms: null, e2e_ms: 12, load_ms: 0.1, prompt_eval_ms: 2, prompt_tps: 2500, ...NEW_NULLS, cold: false, decode_low_precision: null,
    },
  },
  {
    name: 'cold threshold is inclusive and configurable',
    server: server({ load_duration: 5_000_000, eval_count: 4, eval_duration: 40_000_000 }),
    client: client(6, 36, [6, 16, 26, 36]),
    opts: { coldThresholdMs: 5 },
    expected: {
      ttft_ms: 6, ttft_answer_ms: 6, server_ttft_ms: 5, queue_ms: null, decode_tps: 100, client_decode_tps: 100, tpot_ms: 10,
      itl_ms: { p50: 10, p95: 10, p99: 10, max: 10, n: 3 }, e2e_ms: 36, load_ms: 5, prompt_eval_ms: 0, prompt_tps: null, ...NEW_NULLS, cold: true, decode_low_precision: true,
    },
  },
  {
    name: 'queue_ms keeps a negative value from clock noise',
    server: server({ load_duration: 1_000_000, prompt_eval_duration: 9_000_000, eval_count: 2, eval_duration: 10_000_000 }),
    client: client(10.2, 20.2, [10.2, 20.2]),
    opts: { networkMs: 0.4 },
    expected: {
      ttft_ms: 10.2, ttft_answer_ms: 10.2, server_ttft_ms: 10, queue_ms: 10.2 - 10 - 0.4, decode_tps: 200, client_decode_tps: 100, tpot_ms: 10,
      itl_ms: { p50: 10, p95: 10, p99: 10, max: 10, n: 1 }, e2e_ms: 20.2, load_ms: 1, prompt_eval_ms: 9, prompt_tps: null, ...NEW_NULLS, cold: false, decode_low_precision: true,
    },
  },
  {
    name: 'thinking model: ttft_ms at the first thinking chunk, ttft_answer_ms at the first answer chunk; every token chunk counts for the rates',
    server: server({ total_duration: 130_000_000, prompt_eval_count: 12, prompt_eval_duration: 20_000_000, eval_count: 10, eval_duration: 90_000_000, done_reason: 'stop' }),
    client: client(20, 110, [20, 30, 40, 50, 60, 70, 80, 90, 100, 110], 70),
    expected: {
      ttft_ms: 20, ttft_answer_ms: 70, server_ttft_ms: 20, queue_ms: null, decode_tps: 10 / 0.09, client_decode_tps: 9 / 0.09, tpot_ms: 10,
      itl_ms: { p50: 10, p95: 10, p99: 10, max: 10, n: 9 }, e2e_ms: 110, load_ms: 0, prompt_eval_ms: 20, prompt_tps: 12 / 0.02,
      prompt_cached_tokens: null, server_residual_ms: 130 - 20 - 90, cold: false, decode_low_precision: false,
    },
  },
  {
    name: 'cache hit: prompt_cached_tokens from prompt_eval_cached_count (prompt_eval_count includes them)',
    server: server({ total_duration: 40_000_000, prompt_eval_count: 100, prompt_eval_cached_count: 96, prompt_eval_duration: 4_000_000, eval_count: 8, eval_duration: 35_000_000, done_reason: 'stop' }),
    client: client(5, 40, [5, 10, 15, 20, 25, 30, 35, 40]),
    expected: {
      ttft_ms: 5, ttft_answer_ms: 5, server_ttft_ms: 4, queue_ms: null, decode_tps: 8 / 0.035, client_decode_tps: 200, tpot_ms: 5,
      itl_ms: { p50: 5, p95: 5, p99: 5, max: 5, n: 7 }, e2e_ms: 40, load_ms: 0, prompt_eval_ms: 4, prompt_tps: 100 / 0.004,
      prompt_cached_tokens: 96, server_residual_ms: 1, cold: false, decode_low_precision: false,
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

describe('client_decode_tps (issue 13: (tokens − 1) / (last − first), not eval_count / (end − first))', () => {
  it('on a paced schedule where the done line follows the last token at once, equals the scheduled rate exactly', () => {
    // 32 tokens every 10 ms from 50 ms: the old e2e_tps gave 32 / 0.31 = 103.2 tok/s for a 100 tok/s stream.
    const chunkMs = Array.from({ length: 32 }, (_, i) => 50 + i * 10);
    const s = server({ eval_count: 32, eval_duration: 310_000_000 });
    const m = deriveCallMetrics(s, client(50, chunkMs[31], chunkMs));
    assert.equal(m.client_decode_tps, 100);
    assert.equal(m.tpot_ms, 10);
    assert.deepEqual(m.itl_ms, { p50: 10, p95: 10, p99: 10, max: 10, n: 31 });
  });
  it('records without the metric (old TRs) get it recomputed from raw chunk times; their e2e_tps is never used', () => {
    const chunkMs = [10, 20, 30, 40];
    const old = { status: 'ok', client: { sendOffsetMs: 0, headersMs: 1, firstTokenMs: 10, endMs: 50, chunkMs }, metrics: { e2e_tps: 999 } } as unknown as CallRecord;
    assert.equal(clientDecodeTpsOf(old), 100);
    const fresh = { ...old, metrics: { client_decode_tps: null } } as unknown as CallRecord;
    assert.equal(clientDecodeTpsOf(fresh), null, 'a recorded null stays null');
  });
});

describe('one cold threshold everywhere', () => {
  it('normalize, the definition text and the schema description all use DEFAULT_COLD_THRESHOLD_MS', () => {
    assert.equal(DEFAULTS.coldThresholdMs, DEFAULT_COLD_THRESHOLD_MS);
    assert.ok(CALL_METRIC_DEFINITIONS.cold.includes(`${DEFAULT_COLD_THRESHOLD_MS} ms`), CALL_METRIC_DEFINITIONS.cold);
    assert.ok(callMetricDefinitions(250).cold.includes('250 ms'));
    const desc = (schema as unknown as { properties: Record<string, { description: string }> }).properties.coldThresholdMs.description;
    assert.ok(desc.includes(`default ${DEFAULT_COLD_THRESHOLD_MS} ms`), desc);
  });
});
