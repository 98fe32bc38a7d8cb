// The numbers of a soak report, from the samples taken while the CLI ran (see bench/soak.ts).

export interface SoakSample {
  /** s since the CLI started. */
  t: number;
  /** runs recorded so far (meta.json counts.completed). */
  runs: number;
  rssMb: number;
  fds: number;
}

export interface SoakVerdict {
  /** Least-squares slope of RSS against runs over the last two thirds of the samples, MB per 1,000 runs. */
  rssSlopeMbPer1kRuns: number | null;
  /** Growth of the fitted RSS across that window, % of the fitted value at its start. */
  rssGrowthPct: number | null;
  /** Samples and runs in that window. */
  window: { samples: number; fromRuns: number; toRuns: number };
}

/** Ordinary least squares y = a + b·x; null with fewer than 3 points or no spread in x. */
export function fitLine(xs: readonly number[], ys: readonly number[]): { a: number; b: number } | null {
  const n = xs.length;
  if (n < 3) return null;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  if (sxx === 0) return null;
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

/** RSS trend after warm-up: the first third of the soak (by time) is left out. */
export function rssTrend(samples: readonly SoakSample[]): SoakVerdict {
  return memoryTrend(samples, (s) => s.rssMb);
}

/** The same trend of any memory measure (MB) of the samples, e.g. the heap retained after a full GC. */
export function memoryTrend<S extends { t: number; runs: number }>(samples: readonly S[], mbOf: (s: S) => number): SoakVerdict {
  const end = samples.at(-1)?.t ?? 0;
  const tail = samples.filter((s) => s.t >= end / 3);
  const fit = fitLine(tail.map((s) => s.runs), tail.map(mbOf));
  const fromRuns = tail[0]?.runs ?? 0;
  const toRuns = tail.at(-1)?.runs ?? 0;
  const window = { samples: tail.length, fromRuns, toRuns };
  if (!fit) return { rssSlopeMbPer1kRuns: null, rssGrowthPct: null, window };
  const start = fit.a + fit.b * fromRuns;
  return { rssSlopeMbPer1kRuns: fit.b * 1000, rssGrowthPct: start > 0 ? ((fit.b * (toRuns - fromRuns)) / start) * 100 : null, window };
}
