// Reading fields of the normalized experiment stored in meta.json (an open record: older or imported
// TRs may lack fields or hold other shapes, so every read is checked).
import type { Meta } from '../types';

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The experiment's sweep (option → values) as run, when it had one. */
export function sweepOfMeta(meta: Meta): Record<string, unknown[]> | undefined {
  const s = meta.experiment.sweep;
  if (!isRecord(s)) return undefined;
  const out: Record<string, unknown[]> = {};
  for (const [k, v] of Object.entries(s)) if (Array.isArray(v)) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/** The experiment's coldRuns as run ("exclude" when absent: the default, and TRs written before it). */
export function coldRunsOf(meta: Meta): 'exclude' | 'include' {
  return meta.experiment?.coldRuns === 'include' ? 'include' : 'exclude';
}
