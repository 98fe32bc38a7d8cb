// Stop strings over streamed text: text that might be the start of a stop string is held back until the
// next piece shows whether it is one, so a stop string never reaches the client (as with Ollama).

export interface StopScan {
  /** Text that can be sent now. */
  emit: string;
  /** True when a stop string was found: generation ends, the rest is dropped. */
  stopped: boolean;
}

export class StopFilter {
  private held = '';

  constructor(private readonly stops: readonly string[]) {}

  push(piece: string): StopScan {
    const text = this.held + piece;
    let first = -1;
    for (const s of this.stops) {
      if (s === '') continue;
      const i = text.indexOf(s);
      if (i >= 0 && (first < 0 || i < first)) first = i;
    }
    if (first >= 0) {
      this.held = '';
      return { emit: text.slice(0, first), stopped: true };
    }
    const keep = this.partialSuffix(text);
    this.held = text.slice(text.length - keep);
    return { emit: text.slice(0, text.length - keep), stopped: false };
  }

  /** What is still held back when generation ends without a stop string. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  // Length of the longest suffix of text that is a proper prefix of some stop string.
  private partialSuffix(text: string): number {
    let best = 0;
    for (const s of this.stops) {
      for (let n = Math.min(s.length - 1, text.length); n > best; n--) {
        if (text.endsWith(s.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }
}
