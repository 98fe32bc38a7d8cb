// Per-run values of one group (a variant, an agent, a stage…): one row per counted run, one column
// per metric, NaN where a run has no value. Rows hold numbers only, so memory is 8 bytes per value.
import { NumberBuffer, presentValues } from './buffer.js';
import { type Descriptive, describe } from './describe.js';

/** Outlier run numbers listed in a summary, at most; `outliers` still counts them all. */
export const MAX_LISTED_OUTLIERS = 20;

/** A metric's statistics as written to meta.json: Descriptive with run numbers instead of indices. */
export type SummaryStat = Omit<Descriptive, 'outlierIndices'> & { outlierRuns: number[] };

export class MetricTable {
  private readonly runIds = new NumberBuffer();
  private readonly columns = new Map<string, NumberBuffer>();

  /** Counted runs in this group. */
  get rows(): number {
    return this.runIds.length;
  }

  /** Adds one run's row; metrics with null/undefined/non-finite values count as missing. */
  addRow(run: number, values: Iterable<readonly [string, number | null | undefined]>): void {
    const row = this.runIds.length;
    this.runIds.push(run);
    for (const [metric, v] of values) {
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      let col = this.columns.get(metric);
      if (!col) {
        col = new NumberBuffer(Math.max(16, row + 1));
        this.columns.set(metric, col);
      }
      col.padTo(row);
      col.push(v);
    }
  }

  /** Metrics that have at least one value, in order of first appearance. */
  metrics(): string[] {
    return [...this.columns.keys()];
  }

  /** The present values of a metric with their run numbers. */
  values(metric: string): { values: Float64Array; runs: Float64Array } {
    const col = this.columns.get(metric);
    if (!col) return { values: new Float64Array(0), runs: new Float64Array(0) };
    col.padTo(this.runIds.length);
    const { values, ids } = presentValues(col.view(), this.runIds.view());
    return { values, runs: ids };
  }

  stat(metric: string): SummaryStat | null {
    const { values, runs } = this.values(metric);
    const d = describe(values);
    if (d === null) return null;
    const { outlierIndices, ...rest } = d;
    return { ...rest, outlierRuns: outlierIndices.slice(0, MAX_LISTED_OUTLIERS).map((i) => runs[i]) };
  }

  /** Statistics of every metric present, keyed by metric, in the given order first. */
  stats(order: readonly string[]): Record<string, SummaryStat> {
    const out: Record<string, SummaryStat> = {};
    const present = this.metrics();
    const names = [...order.filter((m) => present.includes(m)), ...present.filter((m) => !order.includes(m))];
    for (const m of names) {
      const s = this.stat(m);
      if (s !== null) out[m] = s;
    }
    return out;
  }
}
