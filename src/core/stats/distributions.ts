// Distribution functions over jstat (a well-kept library) rather than hand-written numerics.
// jstat's Student t loses accuracy beyond ~1e7 degrees of freedom, where t is the normal to 1e-7.
import { jStat } from 'jstat';
import { ChimeraError } from '../errors.js';

const NORMAL_DF = 1e7;

function checkDf(df: number, where: string): void {
  if (!(df > 0)) throw new ChimeraError('E_INTERNAL', `degrees of freedom must be positive, got ${df}`, { where });
}

/** Quantile of Student's t with `df` degrees of freedom (df may be fractional, e.g. Welch). */
export function tQuantile(p: number, df: number): number {
  checkDf(df, 'stats.tQuantile');
  if (!(p > 0 && p < 1)) throw new ChimeraError('E_INTERNAL', `probability must be in (0, 1), got ${p}`, { where: 'stats.tQuantile' });
  if (df > NORMAL_DF) return jStat.normal.inv(p, 0, 1);
  // jstat's inverse is good to ~1e-8; Newton steps on its (accurate) cdf reach R's qt() to ~1e-13.
  let x = jStat.studentt.inv(p, df);
  for (let i = 0; i < 3; i++) {
    const density = jStat.studentt.pdf(x, df);
    if (!(density > 0)) break;
    const step = (jStat.studentt.cdf(x, df) - p) / density;
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

/** P(T ≤ x) for Student's t. */
export function tCdf(x: number, df: number): number {
  checkDf(df, 'stats.tCdf');
  return df > NORMAL_DF ? jStat.normal.cdf(x, 0, 1) : jStat.studentt.cdf(x, df);
}

/** Two-sided p-value of a t statistic: 2·P(T ≤ −|t|), capped at 1. */
export function tTwoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** P(T' ≤ x) for the noncentral t (power calculations). */
export function noncentralTCdf(x: number, df: number, ncp: number): number {
  checkDf(df, 'stats.noncentralTCdf');
  if (df > NORMAL_DF) return jStat.normal.cdf(x - ncp, 0, 1);
  return jStat.noncentralt.cdf(x, df, ncp);
}
