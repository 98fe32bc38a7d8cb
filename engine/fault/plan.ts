// Which inference requests a fault-mode engine breaks: after N good ones, for `count` of them, or with a
// seeded probability. Requests it does not break are served like paced mode.
import type { FaultConfig, FaultKind } from '../config';
import { mulberry32 } from '../../src/core/random';

export const INJECTED_500 = 'llama runner process has terminated: injected fault (chimeraforge fault mode)';
export const INJECTED_MIDSTREAM = 'an error was encountered while running the model: injected mid-stream fault (chimeraforge fault mode)';
export const MALFORMED_LINE = 'chimeraforge fault mode: this line is not JSON {';
export const DEFAULT_STALL_MS = 60_000;

export class FaultPlan {
  private seen = 0;
  private readonly rng: () => number;
  injected = 0;

  constructor(readonly cfg: FaultConfig) {
    this.rng = mulberry32(cfg.seed ?? 1);
  }

  /** Decides the next inference request: the fault to inject, or null for a good one. */
  next(): FaultKind | null {
    const k = this.seen++;
    if (k < (this.cfg.afterGood ?? 0)) return null;
    if (this.cfg.count !== undefined && this.injected >= this.cfg.count) return null;
    if (this.cfg.probability !== undefined && this.rng() >= this.cfg.probability) return null;
    this.injected++;
    return this.cfg.kind;
  }

  /** Content tokens sent before a mid-stream fault. */
  atToken(plannedTokens: number): number {
    return this.cfg.atToken ?? Math.max(1, Math.floor(plannedTokens / 2));
  }

  stallMs(): number {
    return this.cfg.stallMs ?? DEFAULT_STALL_MS;
  }
}
