// keep_alive as real Ollama reads it (OLLAMA.md §1.6, §2.3): a number is seconds; a string goes through
// Go's time.ParseDuration, so "300" (no unit) is an HTTP 400 for the whole request. The harness checks it
// when the experiment is loaded (bad input, exit 2, before anything runs); the engine (engine/server/
// protocol.ts) answers the same parse with Go's error text as an HTTP 400. One parser for both.

/** Go's time.ParseDuration grammar as a JSON-schema pattern: an optional sign, then one or more number+unit pairs; "0" alone is allowed. */
export const GO_DURATION_PATTERN = '^(?:[+-]?0|[+-]?(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+)$';
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Ollama's keep_alive when none is sent (OLLAMA_KEEP_ALIVE unset): 5 minutes. */
export const OLLAMA_DEFAULT_KEEP_ALIVE_MS = 5 * 60_000;

/**
 * Go's time.ParseDuration (a port of its loop, so the error texts are Go's): "10m", "1h30m", "-1m", "0",
 * "1.5s" → ms; "300" → `time: missing unit in duration "300"`.
 */
export function parseGoDuration(orig: string): { ms: number } | { error: string } {
  const invalid = { error: `time: invalid duration ${JSON.stringify(orig)}` };
  let s = orig;
  let sign = 1;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return { ms: 0 };
  if (s === '') return invalid;
  let ms = 0;
  while (s !== '') {
    if (!/^[0-9.]/.test(s)) return invalid;
    const num = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if (num[1] === '' && (num[2] ?? '') === '') return invalid;
    s = s.slice(num[0].length);
    const unit = /^[^0-9.]*/.exec(s)![0];
    if (unit === '') return { error: `time: missing unit in duration ${JSON.stringify(orig)}` };
    const per = UNIT_MS[unit];
    if (per === undefined) return { error: `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(orig)}` };
    s = s.slice(unit.length);
    ms += Number(`${num[1] || '0'}.${num[2] ?? ''}0`) * per;
  }
  return { ms: sign * ms };
}

/** A Go duration string in ms, or null when Go's time.ParseDuration would refuse it. */
export function goDurationMs(s: string): number | null {
  const r = parseGoDuration(s);
  return 'ms' in r ? r.ms : null;
}

/**
 * How long Ollama keeps a model loaded after a request with this keep_alive (ms), as its api.Duration
 * decodes it: a number is whole seconds (Go truncates with int()), a string a Go duration; Infinity when
 * negative (forever), 0 unloads at once; null when the value is not one Ollama accepts.
 */
export function keepAliveMs(v: string | number): number | null {
  const ms = typeof v === 'number' ? (Number.isFinite(v) ? (v < 0 ? -1 : Math.trunc(v) * 1000) : null) : goDurationMs(v);
  if (ms === null) return null;
  return ms < 0 ? Number.POSITIVE_INFINITY : ms;
}
