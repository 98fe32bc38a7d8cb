// Number and time formatting for the dashboard: significant digits that suit the magnitude, units always
// shown and kept on the number's line (no-break space).
const NBSP = '\u00a0';

export function num(v: number | null | undefined, unit = ''): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  const s = a >= 1000 ? v.toFixed(0) : a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : a === 0 ? '0' : v.toPrecision(3);
  return unit ? `${s}${NBSP}${unit}` : s;
}

export function interval(ci: [number, number] | null | undefined, unit = ''): string {
  if (!ci) return 'n/a (n < 2)';
  return `[${num(ci[0])}, ${num(ci[1])}]${unit ? `${NBSP}${unit}` : ''}`;
}

/** "1 h 02 min", "3 min 05 s", "12.4 s", "850 ms". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s - m * 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function pValue(p: number | null): string {
  if (p === null) return 'n/a';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

export function when(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

/** A per-call tail "p95 / p99 (n calls)", or "—" where a variant has too few calls for one. */
export function callTail(t: { n: number; p95: number; p99: number } | null | undefined): string {
  return t ? `${num(t.p95)} / ${num(t.p99)} (n=${t.n} calls)` : '—';
}
