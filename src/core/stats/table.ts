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
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly columns: (NumberBuffer | undefined)[] = [];

  /** `schema`: the metrics addRow's positional values stand for (more may be added by name). */
  constructor(schema: readonly string[] = []) {
    for (const name of schema) this.slot(name);
  }

  /** Counted runs in this group. */
  get rows(): number {
    return this.runIds.length;
  }

  private slot(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
      this.columns.push(undefined);
    }
    return i;
  }

  private put(row: number, slot: number, v: number): void {
    let col = this.columns[slot];
    if (col === undefined) {
      col = new NumberBuffer(Math.max(16, row + 1));
      this.columns[slot] = col;
    }
    col.padTo(row);
    col.push(v);
  }

  /** Adds one run's row; values[i] belongs to schema[i]; NaN (or any non-finite value) is missing. */
  addRow(run: number, values: ArrayLike<number>): void {
    const row = this.runIds.length;
    this.runIds.push(run);
    for (let i = 0; i < values.length; i++) {
      if (Number.isFinite(values[i])) this.put(row, i, values[i]);
    }
  }

  /** Adds one run's row by metric name (for open-ended names such as run.stages); nulls are missing. */
  addNamedRow(run: number, values: Iterable<readonly [string, number | null | undefined]>): void {
    const row = this.runIds.length;
    this.runIds.push(run);
    for (const [name, v] of values) {
      if (typeof v === 'number' && Number.isFinite(v)) this.put(row, this.slot(name), v);
    }
  }

  /** Metrics that have at least one value: schema order, then names in order of first appearance. */
  metrics(): string[] {
    return this.names.filter((_, i) => this.columns[i] !== undefined);
  }

  /** The present values of a metric with their run numbers. */
  values(metric: string): { values: Float64Array; runs: Float64Array } {
    const slot = this.index.get(metric);
    const col = slot === undefined ? undefined : this.columns[slot];
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
