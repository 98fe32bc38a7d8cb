// Holm's step-down adjustment (Holm 1979) of a family of p-values, the one place it is computed.
// Sorted ascending p₍₁₎ ≤ … ≤ p₍ₘ₎: adj₍ᵢ₎ = max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎). Controls the
// family-wise error rate at α without assuming independence; equals R's p.adjust(p, "holm").

/** Holm-adjusted p-values in the input order; null entries (no test possible) are not in the family and stay null. */
export function holmAdjust(ps: readonly (number | null)[]): (number | null)[] {
  const tested = ps.flatMap((p, i) => (p === null ? [] : [{ p, i }])).sort((x, y) => x.p - y.p || x.i - y.i);
  const out: (number | null)[] = ps.map(() => null);
  const m = tested.length;
  let running = 0;
  tested.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}
