// queue_ms is an estimate and an upper bound (it subtracts a network estimate and also holds templating
// and tokenizing): its definition says so, and so does every place that shows it (the capacity table).
import assert from 'node:assert/strict';
import { levelSummary } from '../../../src/core/capacity/summary';
import { METRIC_DEFINITIONS } from '../../../src/core/metrics/definitions';
import type { ReportInput } from '../../../src/core/report/model';
import { renderCapacity } from '../../../src/core/report/capacity';

describe('queue_ms shown as an estimate (upper bound)', () => {
  const p = (v: number) => ({ p50: v, p90: v, p95: v, p99: v });
  const cell = {
    requests: 4, errors: 0, errors_by_code: {}, retries: 0, retried_requests: 0, error_rate_pct: 0, throughput_rps: 2, output_tps: 20, achieved_rps: 2, goodput_pct: 100, goodput_rps: 2, in_flight_max: 2, send_lag_ms: null,
    latency: { ttft_ms: p(100), tpot_ms: p(10), e2e_ms: p(300), queue_ms: p(42), server_residual_ms: p(7) },
  };
  const input = { summary: { capacity: { mode: 'concurrency', unit: 'concurrent requests', slo: null, variants: [{ name: 'np1', levels: [levelSummary(2, [cell], null)], max_level_meeting_slo: null, knee: null, knee_reason: 'one level', stopped_early: null }] } } } as unknown as ReportInput;

  it('the capacity table labels the queue column an estimate, upper bound, and the residual as measured', () => {
    const md = renderCapacity(input)!;
    const header = md.split('\n').find((l) => l.startsWith('| level'))!;
    assert.match(header, /\| queue p95 ms \(estimate, upper bound\) \|/);
    assert.match(header, /\| residual p95 ms \|/);
    assert.match(md, /queue is an estimate and an upper bound of the wait for a slot \(queue_ms/);
    assert.match(md, /\| 42 \| 7 \|/, 'the values themselves');
  });

  it('the definitions: queue_ms an estimate and upper bound, server_residual_ms measured by the server', () => {
    assert.match(METRIC_DEFINITIONS.queue_ms, /^ESTIMATE, an upper bound/);
    assert.match(METRIC_DEFINITIONS.server_residual_ms, /= \(total_duration − load_duration − prompt_eval_duration − eval_duration\) \/ 1e6/);
  });
});
