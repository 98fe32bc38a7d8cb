// Names in the original's folders: scenario spellings, config folder names, test ids, endpoints.
import type { OllamaOptions } from '../types';

export const SCENARIOS = ['baseline_vs_chimera', 'chimera_hetero', 'chimera_homo'] as const;

/** `chimera-homo`, `Chimera_Homo` and `chimera_homo` are one scenario (the sweep script mixed spellings). */
export function normalizeScenario(name: string): string {
  return name.trim().toLowerCase().replace(/-/g, '_');
}

export function isKnownScenario(name: string): boolean {
  return (SCENARIOS as readonly string[]).includes(normalizeScenario(name));
}

const CONFIG = /^(?:run_)?gpu(\d+)_ctx(\d+)_temp(\d+)p(\d+)(?:_(v\d+))?$/;

/** `gpu60_ctx512_temp0p8[_v2]` (or with a `run_` prefix) → the options it names; null for anything else. */
export function parseConfigName(name: string): { options: OllamaOptions; rerun: string | null } | null {
  const m = CONFIG.exec(name);
  if (!m) return null;
  return {
    options: { num_gpu: Number(m[1]), num_ctx: Number(m[2]), temperature: Number(`${m[3]}.${m[4]}`) },
    rerun: m[5] ?? null,
  };
}

/** `test007` / `phase_1_test_007` → "test007"; null when the name carries no test number. */
export function testId(name: string): string | null {
  const m = /test_?(\d+)$/.exec(name);
  return m ? `test${m[1].padStart(3, '0')}` : null;
}

/** A model name usable inside a variant name (`gemma3:latest` → `gemma3_latest`): `:` separates TR and variant in compare. */
export function modelSlug(model: string): string {
  return model.replace(/[:/\\\s]+/g, '_');
}

/**
 * Endpoint names for the URLs of an import, in order of first appearance: default, b, c…
 * (the same names the product's dual-Ollama presets use).
 */
export class EndpointNames {
  private readonly names = new Map<string, string>();

  name(url: string): string {
    let n = this.names.get(url);
    if (n === undefined) {
      const i = this.names.size;
      n = i === 0 ? 'default' : String.fromCharCode(97 + Math.min(i, 25));
      this.names.set(url, n);
    }
    return n;
  }

  urls(): string[] {
    return [...this.names.keys()];
  }
}

/** Earliest and latest of ISO-like timestamps (null when none parse). */
export function timeRange(stamps: Iterable<string | undefined>): { first: string | null; last: string | null } {
  let lo = Infinity;
  let hi = -Infinity;
  let first: string | null = null;
  let last: string | null = null;
  for (const s of stamps) {
    if (!s) continue;
    const t = Date.parse(s);
    if (!Number.isFinite(t)) continue;
    if (t < lo) {
      lo = t;
      first = new Date(t).toISOString();
    }
    if (t > hi) {
      hi = t;
      last = new Date(t).toISOString();
    }
  }
  return { first, last };
}
