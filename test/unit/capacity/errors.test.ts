// Errors and retries per capacity level against the fault engine: a seeded share of requests answers
// 503 (busy). The counts in summary.capacity are checked against a recount from the raw records, and
// the raw records against the engine's own count of the 503s it sent: every 503 is either a retry
// (the policy tried again) or the last attempt of a request that failed with E_BUSY.
import assert from 'node:assert/strict';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import type { CapacitySummary } from '../../../src/core/capacity/summary';
import type { CapacityRequest } from '../../../src/core/capacity/types';
import { makeWorkspace } from '../../helpers/workspace';

const retriesOf = (r: CapacityRequest): number => r.calls.reduce((s, c) => s + (c.retries ?? 0), 0);

describe('capacity: errors and retries per level (fault engine, seeded 503s)', function () {
  this.timeout(120_000);
  let e: EngineHandle;
  before(async () => {
    e = await startEngine({ mode: 'fault', parallel: 4, paced: { ttftMs: 20, tokensPerSec: 500, tokens: 5, loadMs: 0 }, fault: { kind: 'http503', probability: 0.4, seed: 7 } });
  });
  after(async () => e?.stop());

  it('errors (by code), retries and retried requests equal the raw records; retries + final 503s = the 503s the engine sent (plumbing)', async () => {
    const ws = makeWorkspace(false);
    const r = await runExperiment(normalizeExperiment({
      title: 'capacity retries', kind: 'capacity', model: 'tiny:latest', endpoints: { default: e.url }, prompts: ['hi'], repetitions: 2,
      retry: { attempts: 1, delayMs: 5 },
      load: { mode: 'concurrency', levels: [1, 2], durationS: 1, warmupS: 0.2 },
    }), { reportsDir: ws.reportsDir, gpuSampling: false });
    assert.equal(r.status, 'complete');
    const cap = readMeta(r.trDir).summary.capacity as CapacitySummary;
    const runs = readRunsSync(r.trDir).runs;
    let retriesAll = 0;
    let busyAll = 0;
    for (const l of cap.variants[0].levels) {
      const reqs = runs.filter((x) => x.capacity!.level === l.level).flatMap((x) => x.capacity!.requests);
      const counted = reqs.filter((q) => !q.warmup);
      const failed = counted.filter((q) => q.status !== 'ok');
      assert.equal(l.errors, failed.length, `errors at ${l.level}`);
      assert.deepEqual(l.errors_by_code, failed.length ? { E_BUSY: failed.length } : {}, `only 503s fail (after 1 retry) at ${l.level}`);
      assert.equal(l.retries, counted.reduce((s, q) => s + retriesOf(q), 0));
      assert.equal(l.retried_requests, counted.filter((q) => retriesOf(q) > 0).length);
      // p = 0.4 per attempt: about 40% of requests retry and 16% fail twice; with ~100 requests none of
      // these can be 0 unless retries are lost.
      assert.ok(l.retries > 0 && l.errors > 0, `level ${l.level}: ${l.retries} retries, ${l.errors} errors`);
      // A request with a retry that then failed made 2 attempts: retries ≤ attempts allowed (1) per call.
      assert.ok(counted.every((q) => retriesOf(q) <= 1));
      retriesAll += reqs.reduce((s, q) => s + retriesOf(q), 0);
      busyAll += reqs.filter((q) => q.errorCode === 'E_BUSY').length;
    }
    const stats = await e.stats();
    assert.equal(stats.faultsByKind.http503, retriesAll + busyAll, 'each 503 the engine sent is a recorded retry or a failed last attempt');
  });
});
