// Prompt (KV) cache bookkeeping shared by the backends: each slot remembers the tokens its state holds
// (last prompt + what was generated after it), and a new prompt reuses the longest common prefix, as
// Ollama's runner does (runner/ollamarunner/cache.go, LoadCacheSlot).

/** Length of the common prefix of two token sequences. */
export function commonPrefix<T>(a: readonly T[], b: readonly T[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * Prompt tokens served from the cache: the common prefix, but never the whole prompt — like Ollama, at
 * least one token is evaluated so there are logits to sample from.
 */
export function reusableTokens<T>(cached: readonly T[], prompt: readonly T[]): number {
  return Math.max(0, Math.min(commonPrefix(cached, prompt), prompt.length - 1));
}

/** What each slot's state holds; empty until the slot first serves a request. */
export class SlotTokens<T> {
  private readonly held: T[][];

  constructor(slots: number) {
    this.held = Array.from({ length: slots }, () => []);
  }

  /** How many tokens of `prompt` slot `slot` could reuse. */
  reusable(slot: number, prompt: readonly T[]): number {
    return reusableTokens(this.held[slot] ?? [], prompt);
  }

  set(slot: number, tokens: readonly T[]): void {
    this.held[slot] = [...tokens];
  }

  push(slot: number, token: T): void {
    this.held[slot].push(token);
  }
}
