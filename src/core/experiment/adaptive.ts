// Adaptive repetitions (PRODUCT.md §11.1): what the file may ask for. The stopping rule itself runs in
// the runner (runner/adaptive.ts); here only what can be checked before anything runs.
import { COMMAND_METRICS, MULTI_AGENT_METRICS } from '../stats/metrics';
import type { ExperimentFile } from './types';

/** Metrics only some kinds produce: asking another kind to wait for them could never stop before max. */
const ONLY_IN: Record<string, { kind: string; metrics: readonly string[] }> = {
  command: { kind: 'command', metrics: COMMAND_METRICS },
  'multi-agent': { kind: 'multi-agent', metrics: MULTI_AGENT_METRICS },
};

/** Problems of `repetitions: { min, max, until }` the schema cannot express, as "path: expectation" lines. */
export function adaptiveProblems(x: ExperimentFile): string[] {
  const r = x.repetitions;
  if (r === undefined || typeof r === 'number') return [];
  const out: string[] = [];
  if (r.max < r.min) out.push(`repetitions.max: must be ≥ repetitions.min (${r.min}), got ${r.max}`);
  for (const { kind, metrics } of Object.values(ONLY_IN)) {
    if (metrics.includes(r.until.metric) && x.kind !== kind) {
      out.push(`repetitions.until.metric: "${r.until.metric}" is measured only in ${kind} experiments, never in a ${x.kind} one`);
    }
  }
  return out;
}
