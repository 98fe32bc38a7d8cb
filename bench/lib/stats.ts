// Pure helpers of the benchmark: percentiles, medians with spread over repetitions, drift checks.
// Kept free of I/O so test/unit/bench can pin them down exactly.

/** Linear-interpolation percentile (the "R-7"/NumPy default) of an unsorted sample; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile: p must be within 0..100, got ${p}`);
  const s = [...values].sort((a, b) => a - b);
  const pos = ((s.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** A figure measured over repetitions: the median and how far the repetitions spread. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
  /** Repetitions behind it. */
  n: number;
  /** Each repetition's value, in the order measured. */
  reps: number[];
}

export function spreadOf(reps: readonly number[]): Spread {
  const finite = reps.filter((x) => Number.isFinite(x));
  if (finite.length === 0) throw new RangeError('spreadOf: no finite repetition values');
  return {
    median: median(finite),
    min: Math.min(...finite),
    max: Math.max(...finite),
    q1: percentile(finite, 25),
    q3: percentile(finite, 75),
    n: finite.length,
    reps: finite.map((x) => round(x, 6)),
  };
}

/** Rounds to `digits` significant decimals after the point (results files stay readable). */
export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** What one stream did against its exact schedule. */
export interface StreamError {
  /** measured TTFT − scheduled TTFT (ms). */
  ttftErrMs: number;
  /** (measured decode rate − scheduled rate) / scheduled rate. */
  tpsRelErr: number;
}

/** p99 of |ttft error| and of |decode-rate relative error| over the streams of one repetition. */
export function errorP99(errors: readonly StreamError[]): { ttftAbsErrMsP99: number; tpsRelErrP99: number; ttftErrMsMedian: number } {
  return {
    ttftAbsErrMsP99: percentile(errors.map((e) => Math.abs(e.ttftErrMs)), 99),
    tpsRelErrP99: percentile(errors.map((e) => Math.abs(e.tpsRelErr)), 99),
    ttftErrMsMedian: median(errors.map((e) => e.ttftErrMs)),
  };
}

/** One step of a throughput ramp: the scheduled rate and what the streams measured. */
export interface RampStep {
  aggregateTps: number;
  /** Median over streams of the measured decode rate ÷ the scheduled rate. */
  rateRatio: number;
  /** p99 TTFT error (ms) at this step. */
  ttftErrMsP99: number;
}

export interface DriftRule {
  /** The decode rate may differ from the schedule by at most this fraction (0.01 = 1%). */
  maxRateLoss: number;
  /** TTFT error at this step may exceed the first (lowest-rate) step's by at most this many ms. */
  maxTtftDriftMs: number;
}

/** Why a step drifts off its schedule, or null when it holds it. `baseline` is the ramp's first step. */
export function driftOf(step: RampStep, baseline: RampStep, rule: DriftRule): string | null {
  // Either way is off: a late first token with an on-time end reads as a rate above the schedule.
  if (Math.abs(1 - step.rateRatio) > rule.maxRateLoss + 1e-12) return `decode rate ${round((step.rateRatio - 1) * 100, 2)}% off the schedule`;
  const drift = step.ttftErrMsP99 - baseline.ttftErrMsP99;
  if (drift > rule.maxTtftDriftMs) return `ttft p99 error ${round(drift, 2)} ms above the lowest rate's`;
  return null;
}

/** The highest aggregate rate reached before the first drifting step (steps in ramp order); 0 if the first drifts. */
export function maxSustained(steps: readonly RampStep[], rule: DriftRule): { maxTps: number; stoppedBy: string | null } {
  if (steps.length === 0) return { maxTps: 0, stoppedBy: null };
  let best = 0;
  for (const s of steps) {
    const why = driftOf(s, steps[0], rule);
    if (why) return { maxTps: best, stoppedBy: `${s.aggregateTps} tok/s: ${why}` };
    best = Math.max(best, s.aggregateTps);
  }
  return { maxTps: best, stoppedBy: null };
}
