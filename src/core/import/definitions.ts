// How the ORIGINAL program measured each metric (ORIGINS.md §3), written into meta.metricDefinitions of an
// imported TR next to our own definitions, so a reader never compares two definitions by accident.
import { CALL_METRIC_DEFINITIONS, MULTI_AGENT_METRIC_DEFINITIONS, RUN_METRIC_DEFINITIONS, SERVER_FIELD_DEFINITIONS } from '../metrics/definitions';
import { SUMMARY_DEFINITIONS } from '../stats/metrics';
import type { LayoutName } from './types';

const RUST_CALLS: Record<string, string> = {
  'original.ttft_ms': 'Rust agent (stream:true): client-side, request sent → first NDJSON line with a non-empty "response"; falls back to the whole elapsed time when none. Imported into ttft_ms (same definition as ours).',
  'original.total_duration_ms': 'Rust agent: client elapsed, request sent → end of the stream (ms). Imported as the client end time (e2e_ms); Ollama\'s own total_duration was not kept (stored as 0).',
  'original.throughput_tokens_per_sec': 'Rust agent: eval_count / max(eval_duration_ms / 1000, 1e-6) — the same as our decode_tps.',
  'original.server_fields': 'Rust agent kept load/prompt_eval/eval durations in ms (converted to ns here) and eval_count as tokens_generated; prompt_eval_count and done_reason were not kept (0 / null).',
  'original.average_tokens_per_second': 'Rust aggregate: unweighted mean of per-call rates over all calls of the agent (2 calls per workflow run); stddev_* are sample standard deviations that mix analysis and report calls.',
};

const PY_AGENT: Record<string, string> = {
  'original.average_tokens_per_second': 'Python agent: mean of the per-call eval_count / eval_duration over its 2 calls (stream:false); only this aggregate was stored, no per-call records.',
  'original.average_ttft_ms': 'Python agent (TR109/TR110): consistent with load_duration + prompt_eval_duration, i.e. server-side (inferred: the source is lost). Not comparable with the Rust client-side TTFT.',
  'original.total_duration_ms': 'Python agent: Σ of per-call durations ≈ Ollama total_duration (inferred).',
  'original.p95': 'Python agent p95_* over 2 calls by linear interpolation (inferred).',
};

const MULTI: Record<string, string> = {
  'original.efficiency_percent': 'Original "parallel efficiency" = (Σ agent wall times / concurrent wall) / 2 × 100, each agent\'s wall measured during the concurrent run — identical to our overlap_efficiency. It measures overlap, not a gain over running the agents one after the other.',
  'original.resource_contention_detected': 'Original rule in code: concurrency_speedup < 1.5 (the reports state three other rules; ORIGINS.md §3.6). Reproduced here as contention with rule overlap-speedup-below 1.5.',
  'original.deltas': 'Original sign conventions: throughput_delta = agent B − agent A, ttft_delta_ms = agent A − agent B (kept verbatim under `original`).',
  speedup_vs_sequential_import: 'Null in imports: the original never ran the agents alone, so there is no measured sequential baseline and no real speedup.',
  start_skew_ms_import: 'Null in imports: the original did not record when each agent started.',
  aggregate_tps_import: 'Σ generated tokens of both agents / concurrent wall time (for the Python layout from the agents\' stored total_tokens_generated, as no per-call records exist).',
};

const TR108: Record<string, string> = {
  'original.ttft_s': 'TR108 CSV: ttft_s = load_s + prompt_eval_s, server-side (the request was not streamed). Imported into server_ttft_ms; the client TTFT (ttft_ms) was not measured and is null.',
  'original.tokens_s': 'TR108 CSV: eval_count / eval_s — the same as our decode_tps.',
  'original.client': 'TR108 recorded no client timings: ttft_ms and e2e_ms are null (not measured), only server fields are known (seconds, converted to ns).',
};

const IMPORT_COMMON: Record<string, string> = {
  startedAt_import: 'Run start as the original stored it (Rust: the agent result timestamp; Python: the agent start_time or the test start); Python timestamps carry no time zone.',
};

function pick(source: Readonly<Record<string, string>>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => source[n] !== undefined).map((n) => [n, source[n]]));
}

/** The definitions an import of this layout writes: ours for the metrics present, plus the original's. */
export function importDefinitions(layout: LayoutName): Record<string, string> {
  const server = { ...SERVER_FIELD_DEFINITIONS };
  const calls = pick(CALL_METRIC_DEFINITIONS, ['ttft_ms', 'server_ttft_ms', 'decode_tps', 'client_decode_tps', 'tpot_ms', 'e2e_ms', 'load_ms', 'prompt_eval_ms', 'cold']);
  const run = pick(RUN_METRIC_DEFINITIONS, ['wall_ms', 'stages.ingest', 'stages.analysis', 'stages.report', 'stages.total', 'files_ingested']);
  const multi = { ...pick(MULTI_AGENT_METRIC_DEFINITIONS, ['concurrent_wall_ms', 'overlap_efficiency', 'speedup_vs_sequential', 'aggregate_tps', 'jain_fairness', 'start_skew_ms', 'contention']), contention_rate: SUMMARY_DEFINITIONS.contention_rate };
  switch (layout) {
    case 'rust-single':
      return { ...server, ...calls, ...run, ...RUST_CALLS, ...IMPORT_COMMON };
    case 'python-sweep':
      return { wall_ms: run.wall_ms, files_ingested: run.files_ingested, ...PY_AGENT, ...IMPORT_COMMON };
    case 'python-multi':
      return { wall_ms: run.wall_ms, ...multi, ...PY_AGENT, ...MULTI, ...IMPORT_COMMON };
    case 'rust-multi':
    case 'runtime-matrix':
      return { ...server, ...calls, ...run, ...multi, ...RUST_CALLS, ...MULTI, ...IMPORT_COMMON };
    case 'tr108-csv':
      return { ...server, ...pick(CALL_METRIC_DEFINITIONS, ['server_ttft_ms', 'decode_tps', 'load_ms', 'prompt_eval_ms', 'prompt_tps', 'cold']), ...TR108, ...IMPORT_COMMON };
  }
}
