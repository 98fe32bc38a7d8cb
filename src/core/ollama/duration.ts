// keep_alive as real Ollama reads it (OLLAMA.md §1.6, §2.3): a number is seconds; a string goes through
// Go's time.ParseDuration, so "300" (no unit) is an HTTP 400 for the whole request. Checked when the
// experiment is loaded, so such a value is bad input (exit 2) before anything runs.

/** Go's time.ParseDuration grammar: an optional sign, then one or more number+unit pairs; "0" alone is allowed. */
export const GO_DURATION_PATTERN = '^(?:[+-]?0|[+-]?(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+)$';
const GO_DURATION = new RegExp(GO_DURATION_PATTERN);
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration string in ms, or null when Go's time.ParseDuration would refuse it. */
export function goDurationMs(s: string): number | null {
  if (!GO_DURATION.test(s)) return null;
  const sign = s.startsWith('-') ? -1 : 1;
  let ms = 0;
  for (const part of s.replace(/^[+-]/, '').matchAll(/([0-9]*\.?[0-9]+|[0-9]+\.)(ns|us|µs|μs|ms|s|m|h)/g)) ms += Number(part[1]) * UNIT_MS[part[2]];
  return sign * ms;
}

/**
 * How long Ollama keeps a model loaded after a request with this keep_alive (ms): Infinity when negative
 * (forever), 0 unloads at once; null when the value is not one Ollama accepts.
 */
export function keepAliveMs(v: string | number): number | null {
  const ms = typeof v === 'number' ? (Number.isFinite(v) ? v * 1000 : null) : goDurationMs(v);
  if (ms === null) return null;
  return ms < 0 ? Number.POSITIVE_INFINITY : ms;
}

/** Ollama's keep_alive when none is sent (OLLAMA_KEEP_ALIVE unset): 5 minutes. */
export const OLLAMA_DEFAULT_KEEP_ALIVE_MS = 5 * 60_000;
