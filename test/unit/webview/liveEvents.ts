// Runner event streams for the webview tests: a realistic experiment (shape of what runExperiment
// emits: started, per-run token progress per stream, run-finished with agents, finished with summary).
import type { RunnerEvent } from '../../../src/core/runner/events';
import type { Summary } from '../../../src/core/types';

export interface StreamSpec { runs: number; variants: string[]; agents?: string[]; callsPerRun: number; updatesPerCall: number }

/** A deterministic event stream: tokens grow within a call and restart at the next call of a stream. */
export function experimentEvents(spec: StreamSpec): RunnerEvent[] {
  const out: RunnerEvent[] = [];
  const planned = spec.runs * spec.variants.length;
  out.push({ type: 'experiment-started', trId: 'TR7', trDir: '/r/TR7', title: 'flood', kind: spec.agents ? 'multi-agent' : 'prompt', planned, variants: spec.variants, agents: spec.agents ?? [] });
  let run = 0;
  for (let rep = 0; rep < spec.runs; rep++) {
    for (const variant of spec.variants) {
      run++;
      out.push({ type: 'run-started', run, variant, warmup: rep === 0, done: run - 1, planned });
      for (let c = 0; c < spec.callsPerRun; c++) {
        for (let u = 1; u <= spec.updatesPerCall; u++) {
          for (const agent of spec.agents ?? [undefined]) {
            const tokens = 1 + u * 4;
            const elapsedMs = 30 + u * 10;
            out.push({ type: 'tokens', run, variant, ...(agent ? { agent } : {}), stage: 'generate', tokens, elapsedMs, tps: u === 1 ? null : ((tokens - 1) * 1000) / (elapsedMs - 25) });
          }
        }
      }
      out.push({
        type: 'run-finished', run, variant, warmup: rep === 0, status: 'ok', valid: true, wallMs: 100 + run, done: run, planned, etaMs: (planned - run) * 100,
        ...(spec.agents ? { agents: spec.agents.map((name, i) => ({ name, startOffsetMs: i * 3, wallMs: 90 + i, status: 'ok' as const })) } : {}),
      });
    }
  }
  const summary: Summary = { variants: spec.variants.map((name) => ({ name, options: {}, n: spec.runs - 1 })), comparisons: [] };
  out.push({ type: 'experiment-finished', trId: 'TR7', trDir: '/r/TR7', status: 'complete', counts: { planned, completed: planned, warmup: spec.variants.length, failed: 0, invalid: 0 }, summary });
  return out;
}

/** A fake clock and timer queue (named as such): time moves only when the test advances it. */
export class FakeTimers {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  now = (): number => this.t;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.next++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown): void => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  /** Moves time forward to `to`, running due timers in order. */
  advance(to: number): void {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const due = this.timers[0];
      if (!due || due.at > to) break;
      this.timers.shift();
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = Math.max(this.t, to);
  }
}
