// Which way is better for each summarised metric, its unit, and the words a verdict uses.
// Definitions of how a per-run value is formed live here too, so summaries and reports say the same.

export type Direction = 'higher' | 'lower';

export interface MetricInfo {
  unit: string;
  better: Direction;
  /** Verdict word when b's mean is above a's, and when it is below. */
  up: string;
  down: string;
}

const RATE: MetricInfo = { unit: 'tok/s', better: 'higher', up: 'faster', down: 'slower' };
const TIME: MetricInfo = { unit: 'ms', better: 'lower', up: 'slower', down: 'faster' };
const MEMORY: MetricInfo = { unit: 'MB', better: 'lower', up: 'larger', down: 'smaller' };
const SCORE = (unit: string): MetricInfo => ({ unit, better: 'higher', up: 'higher', down: 'lower' });
const COUNT = (unit: string): MetricInfo => ({ unit, better: 'higher', up: 'more', down: 'fewer' });

/** Per-call metrics (PRODUCT.md §3) summarised per run as the mean over the run's ok calls (runValues.callMetricMeans reads them in this order). */
export const CALL_METRICS = ['decode_tps', 'ttft_ms', 'server_ttft_ms', 'e2e_ms', 'client_decode_tps', 'tpot_ms', 'load_ms', 'prompt_eval_ms', 'ttft_answer_ms', 'prompt_cached_tokens', 'server_residual_ms'] as const;
export type CallMetric = (typeof CALL_METRICS)[number];

/** Latency metrics that also get percentiles over calls (not only over per-run means). */
export const PER_CALL_METRICS = ['ttft_ms', 'e2e_ms'] as const;
/** Below this many calls a per-call p95/p99 is not shown (it would be little more than the maximum). */
export const MIN_CALLS_FOR_TAIL = 20;

export const MULTI_AGENT_METRICS = ['overlap_efficiency', 'speedup_vs_sequential', 'aggregate_tps', 'jain_fairness', 'start_skew_ms', 'concurrent_wall_ms'] as const;
export const COMMAND_METRICS = ['startup_ms', 'process_wall_ms', 'peak_rss_mb', 'cpu_ms'] as const;

/** Order of metric columns in summaries and CSV, and the positions of a run row in the accumulator. */
export const SUMMARY_METRICS: readonly string[] = [...CALL_METRICS, 'wall_ms', ...COMMAND_METRICS, ...MULTI_AGENT_METRICS];

export function metricInfo(metric: string): MetricInfo {
  switch (metric) {
    case 'overlap_efficiency': return SCORE('%');
    case 'speedup_vs_sequential': return SCORE('×');
    case 'jain_fairness': return SCORE('');
    case 'prompt_cached_tokens': return COUNT('tokens');
    default:
      if (metric.endsWith('_tps')) return RATE;
      if (metric.endsWith('_ms')) return TIME;
      if (metric.endsWith('_mb')) return MEMORY;
      return SCORE('');
  }
}

/** Comparison metrics per experiment kind; agent-like kinds compare whole-run wall time instead of e2e. */
export function comparisonMetrics(kind: string): string[] {
  // capacity: a variant's runs hold different load levels, so pooling them into one comparison would mislead.
  if (kind === 'capacity') return [];
  return kind === 'prompt' ? ['decode_tps', 'ttft_ms', 'e2e_ms'] : ['decode_tps', 'ttft_ms', 'wall_ms'];
}

/** How the summary forms its numbers; written beside the summary so readers need not guess. */
export const SUMMARY_DEFINITIONS: Record<string, string> = {
  counted_runs: 'Statistics count runs that are not warm-ups, have status ok and are valid; the others are counted under excluded, never used.',
  per_run_value: 'A call metric\'s per-run value is the mean over that run\'s ok calls (for multi-agent runs: over all agents\' calls); statistics are over per-run values (n = runs).',
  stages: 'Per-stage statistics use, per run, the mean over that run\'s calls of the stage only, so analysis and report calls are never mixed.',
  decode_tps_weighted: 'Token-weighted decode rate (tokens/s): Σ eval_count / Σ eval_duration (in seconds) over all ok calls of the counted runs.',
  decode_tps_call_mean: 'Mean of per-call decode rates (tokens/s, eval_count / eval_duration) over all ok calls of the counted runs, unweighted: every call weighs the same regardless of its length (the original program\'s average).',
  ci_half_width_pct: 'Adaptive repetitions: half the width of a variant\'s 95% CI of the mean of the checked metric (ci95 above, over the counted runs\' per-run values), as a percent of |mean|: (upper − lower) / 2 / |mean| × 100. Null (target not met) when n < 2 or the mean is 0.',
  ci95: '95% confidence interval of the mean with Student t, n−1 degrees of freedom; null when n < 2.',
  percentiles: 'p5/p25/median/p75/p95/p99 by linear interpolation on the sorted values, k = (n−1)·p (R type 7); iqr = p75 − p25.',
  outliers: 'Tukey fences p25 − 1.5·IQR and p75 + 1.5·IQR; runs outside are flagged and still counted.',
  per_call_percentiles: `Per-call percentiles of ttft_ms and e2e_ms (median, p95, p99, max): over all ok calls of the counted runs, each call one value (n = calls), linear interpolation as for percentiles. They are what a latency tail means; the per-run statistics are over per-run means (n = runs), so their "p95" is the p95 of per-run mean values. Shown only where a variant has at least ${MIN_CALLS_FOR_TAIL} calls (with fewer than ${MIN_CALLS_FOR_TAIL} calls a p95/p99 says little more than the maximum).`,
  comparison: 'Each variant (b) against the reference (a, the first variant): diff = mean_b − mean_a with a Welch 95% CI; ratio = mean_b / mean_a with a delta-method 95% CI on the log scale; Welch two-sided p; Hedges\' g (pooled sd, small-sample corrected); a seeded percentile bootstrap CI of the difference. p, the CIs and g are null when no test is possible: a group with fewer than 2 runs, or no spread in either group (verdict "not testable (no variation)", never p = 0).',
  p_adjusted: 'When a TR holds more than one comparison of the same metric (several variants against the reference, or comparisons added by `compare`): Holm\'s step-down adjustment of their Welch p-values (sorted p₍ᵢ₎ × (m − i + 1), made monotone, capped at 1; m = comparisons of that metric with a p). Those verdicts use p_adjusted < 0.05; the CIs stay unadjusted 95% intervals.',
  sample_size_hint: 'When no difference is detected: the runs per variant for which a two-sided Welch test (α = 0.05) has power 0.8 to detect a difference of the stated percent of the reference mean, with the observed standard deviations.',
  outputs: 'How the ok calls of the counted runs ended: natural_stops = done_reason "stop" (the model ended its answer: EOS or a stop string), valid because maxTokens is a cap, not a request (only minOutputTokens makes a shorter output invalid); natural_stop_share = natural_stops / calls; length_stops = done_reason "length" (the num_predict cap or the context ended it); low_precision_calls = calls with decode_low_precision; thinking_calls = calls that sent reasoning text; json_checked = calls that asked for structured output (format "json" or a JSON schema), json_valid = those whose answer parsed as JSON and, under a schema, matched it (ajv) — recorded, not a validity rule: the timing of a call does not depend on its text; output_tokens = eval_count per call (min, median, p95, max; thinking tokens included, as Ollama counts them).',
  retries: 'Calls of the measured runs (warm-ups excluded, failed runs included) that were retried under the experiment\'s declared retry policy (503 busy, or connection refused before any data): calls = calls retried at least once; attempts = failed attempts that were retried (kept in the call record\'s attempts[], in order); byCode = those attempts by error code. Retries are the saturation signal: a count above 0 means the server refused work during the measurement.',
  contention_rate: 'Runs flagged as contended by the declared rule / counted multi-agent runs for which the rule could be decided (a fraction, 0–1). A run whose rule needs a solo baseline that is missing or failed has contention null: it is counted as undecided (contention_undecided) and left out of the rate.',
};
