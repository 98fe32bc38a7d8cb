// Conformance: the client-derived metrics (ttft_ms, client_decode_tps, tpot_ms, itl_ms) against the paced
// engine's known schedule (engine/README.md "paced"): token i at t + T + i·1000/r, the done line at once
// after the last token. Each metric is recomputed here from the raw client timings with the formula of
// PRODUCT.md §3 (written out in this file, not imported), then compared with the schedule within the
// jitter of a shared machine. Checks of what the server reported are plumbing checks, titled so.
import assert from 'node:assert/strict';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { readRunsSync } from '../../../src/core/store/read';
import type { CallRecord } from '../../../src/core/types';
import { makeWorkspace } from '../../helpers/workspace';

const T = 150; // ttftMs: the prefill the engine waits before token 0
const R = 10; // tokens per second: a 100 ms gap, wide against timer jitter
const N = 9; // tokens per answer
const GAP = 1000 / R;

/** Linear-interpolation quantile, k = (n−1)·p (the definition in the table). */
function quantile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const k = (s.length - 1) * p;
  const lo = Math.floor(k);
  return lo + 1 < s.length ? s[lo] + (s[lo + 1] - s[lo]) * (k - lo) : s[lo];
}

/** Chunk times are stored rounded to the microsecond (runs.jsonl), the metrics were derived before rounding. */
const STORED_MS = 0.002;

/** The median over the repetitions: the schedule comparison tolerates one call hit by a scheduler hiccup of the shared machine. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function near(actual: number, expected: number, relTol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= expected * relTol, `${what}: ${actual} not within ${relTol * 100}% of ${expected}`);
}

describe('conformance: client-derived metrics against the paced schedule', function () {
  this.timeout(120_000);
  let e: EngineHandle;
  before(async () => {
    e = await startEngine({ mode: 'paced', paced: { ttftMs: T, tokensPerSec: R, tokens: N } });
  });
  after(() => e.stop());

  const calls: Record<string, CallRecord[]> = {};
  async function measured(api: 'generate' | 'chat'): Promise<CallRecord[]> {
    if (calls[api]) return calls[api];
    const ws = makeWorkspace(false);
    const x: ExperimentFile = { title: `schedule ${api}`, kind: 'prompt', api, model: 'tiny:latest', endpoints: { default: e.url }, prompts: ['measure me'], repetitions: 5, warmup: 1 };
    const r = await runExperiment(normalizeExperiment(x), { reportsDir: ws.reportsDir, gpuSampling: false });
    const runs = readRunsSync(r.trDir).runs.filter((run) => !run.warmup);
    assert.equal(runs.length, 5);
    for (const run of runs) assert.equal(run.status, 'ok', run.error);
    return (calls[api] = runs.map((run) => run.calls[0]));
  }

  for (const api of ['generate', 'chat'] as const) {
    describe(`/api/${api}, streamed`, () => {
      it('one chunk per scheduled token, gaps of 1000/r ms', async () => {
        const gaps: number[] = [];
        for (const c of await measured(api)) {
          assert.equal(c.client.chunkMs.length, N);
          for (let i = 1; i < N; i++) gaps.push(c.client.chunkMs[i] - c.client.chunkMs[i - 1]);
        }
        near(median(gaps), GAP, 0.1, 'median gap');
      });

      it('ttft_ms = request sent → first token chunk, at least T and within the loopback slack', async () => {
        for (const c of await measured(api)) {
          const m = c.metrics!;
          assert.ok(Math.abs(m.ttft_ms! - c.client.firstTokenMs!) <= STORED_MS, `${m.ttft_ms} vs first token ${c.client.firstTokenMs}`);
          assert.ok(Math.abs(m.ttft_ms! - c.client.chunkMs[0]) <= STORED_MS, `${m.ttft_ms} vs first chunk ${c.client.chunkMs[0]}`);
          assert.ok(m.ttft_ms! >= T, `ttft ${m.ttft_ms} ≥ T ${T}: the engine never writes early`);
        }
        const mid = median((await measured(api)).map((c) => c.metrics!.ttft_ms!));
        assert.ok(mid < T + GAP, `median ttft ${mid} < T + one gap: no hidden delay before the first token`);
      });

      it('client_decode_tps = (tokens − 1) / ((last − first) / 1000) ≈ r', async () => {
        const calls = await measured(api);
        for (const c of calls) {
          const t = c.client.chunkMs;
          const want = (t.length - 1) / ((t[t.length - 1] - t[0]) / 1000);
          assert.ok(Math.abs(c.metrics!.client_decode_tps! - want) <= want * 1e-5, `${c.metrics!.client_decode_tps} vs formula ${want}`);
        }
        near(median(calls.map((c) => c.metrics!.client_decode_tps!)), R, 0.08, 'client_decode_tps vs the schedule (median of the repetitions)');
      });

      it('tpot_ms = (end − first token) / (eval_count − 1) ≈ 1000/r, since the done line follows the last token at once', async () => {
        const calls = await measured(api);
        for (const c of calls) {
          const want = (c.client.endMs - c.client.firstTokenMs!) / (c.server!.eval_count - 1);
          assert.ok(Math.abs(c.metrics!.tpot_ms! - want) <= STORED_MS, `${c.metrics!.tpot_ms} vs formula ${want}`);
        }
        near(median(calls.map((c) => c.metrics!.tpot_ms!)), GAP, 0.08, 'tpot_ms vs the schedule (median of the repetitions)');
      });

      it('itl_ms = p50/p95/p99/max of the gaps between token chunks ≈ 1000/r, n = tokens − 1', async () => {
        const calls = await measured(api);
        for (const c of calls) {
          const t = c.client.chunkMs;
          const gaps = t.slice(1).map((x, i) => x - t[i]);
          const itl = c.metrics!.itl_ms!;
          assert.equal(itl.n, N - 1);
          assert.ok(Math.abs(itl.p50 - quantile(gaps, 0.5)) <= STORED_MS, `p50 ${itl.p50} vs ${quantile(gaps, 0.5)}`);
          assert.ok(Math.abs(itl.p95 - quantile(gaps, 0.95)) <= STORED_MS, `p95 ${itl.p95} vs ${quantile(gaps, 0.95)}`);
          assert.ok(Math.abs(itl.p99 - quantile(gaps, 0.99)) <= STORED_MS, `p99 ${itl.p99} vs ${quantile(gaps, 0.99)}`);
          assert.ok(Math.abs(itl.max - Math.max(...gaps)) <= STORED_MS, `max ${itl.max} vs ${Math.max(...gaps)}`);
        }
        near(median(calls.map((c) => c.metrics!.itl_ms!.p50)), GAP, 0.1, 'itl p50 vs the schedule (median of the repetitions)');
      });

      it('plumbing check: eval_count, eval_duration over N−1 intervals, prompt_eval_duration = T, decode_tps = eval_count / eval_duration', async () => {
        for (const c of await measured(api)) {
          const s = c.server!;
          assert.equal(s.eval_count, N);
          assert.equal(s.eval_duration, Math.round(((N - 1) / R) * 1e9));
          assert.equal(s.prompt_eval_duration, T * 1e6);
          assert.equal(s.load_duration, 0, 'measured runs are warm');
          assert.equal(s.done_reason, 'stop');
          assert.ok(Math.abs(c.metrics!.decode_tps! - s.eval_count / (s.eval_duration / 1e9)) < 1e-9);
          assert.equal(c.metrics!.server_ttft_ms, (s.load_duration + s.prompt_eval_duration) / 1e6);
          assert.equal(c.metrics!.server_residual_ms, (s.total_duration - s.load_duration - s.prompt_eval_duration - s.eval_duration) / 1e6);
        }
      });
    });
  }
});
