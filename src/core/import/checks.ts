// Stored-vs-recomputed bookkeeping: each value the original stored is checked against ours, and the
// outcome becomes one Difference row (with the disagreeing places listed) instead of hundreds of rows.
import type { MultiAgentRunMetrics } from '../types';
import type { Difference } from './types';

/** Equal within floating-point noise of the original's own arithmetic. */
export function close(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** A tally of places where a stored value was compared with ours. */
export class Tally {
  total = 0;
  readonly disagree: string[] = [];

  check(where: string, agrees: boolean): void {
    this.total++;
    if (!agrees) this.disagree.push(where);
  }

  /** One row: "n/n agree", or the disagreeing places (first 12 named). Null when nothing was compared. */
  row(what: string, source: string, note?: string): Difference | null {
    if (this.total === 0) return null;
    const bad = this.disagree.length;
    const listed = this.disagree.slice(0, 12).join(', ') + (bad > 12 ? `, … (${bad - 12} more)` : '');
    const row: Difference = {
      what,
      original: `${this.total} stored value${this.total === 1 ? '' : 's'}`,
      recomputed: bad === 0 ? `all ${this.total} agree` : `${bad} of ${this.total} differ: ${listed}`,
      source,
      agrees: bad === 0,
    };
    if (note) row.note = note;
    return row;
  }
}

/** Per-run checks of a multi-agent layout: stored efficiency, speedup and contention flag against ours. */
export class MultiRunChecks {
  readonly efficiency = new Tally();
  readonly speedup = new Tally();
  readonly contention = new Tally();

  add(where: string, stored: { efficiency: number | null; speedup: number | null; contention: boolean | null }, ours: MultiAgentRunMetrics): void {
    const speedup = (ours.overlap_efficiency * 2) / 100;
    if (stored.efficiency !== null) this.efficiency.check(where, close(stored.efficiency, ours.overlap_efficiency));
    if (stored.speedup !== null) this.speedup.check(where, close(stored.speedup, speedup));
    if (stored.contention !== null) this.contention.check(where, stored.contention === ours.contention);
  }

  rows(source: string): Difference[] {
    return [
      this.efficiency.row('Per-run efficiency_percent vs overlap_efficiency recomputed from agent wall times', source),
      this.speedup.row('Per-run concurrency_speedup vs Σ agent wall / concurrent wall', source),
      this.contention.row('Per-run resource_contention_detected vs the rule speedup < 1.5', source),
    ].filter((r): r is Difference => r !== null);
  }
}
