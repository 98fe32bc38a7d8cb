// Kind `capacity`: semantic checks the schema cannot express, defaults, and the run plan
// (variant by variant, levels in the written order, each level's repetitions back to back).
import type { ExperimentFile, NormalizedExperiment } from '../experiment/types';
import type { PlannedRun } from '../experiment/plan';
import type { NormalizedCapacity } from './types';

export const CAPACITY_DEFAULTS = { durationS: 60, warmupS: 5, arrival: 'poisson' } as const;

/** Problems of the capacity fields (empty when fine); `known` = declared endpoint names. */
export function capacityProblems(x: ExperimentFile, known: string[]): string[] {
  const out: string[] = [];
  if (x.kind !== 'capacity') {
    for (const k of ['load', 'slo', 'stop'] as const) if (x[k] !== undefined) out.push(`${k}: only kind "capacity" uses it (kind is "${x.kind}")`);
    x.variants?.forEach((v, i) => {
      if (v.server) out.push(`variants[${i}].server: managed servers are run by kind "capacity" only (kind is "${x.kind}")`);
    });
    return out;
  }
  const load = x.load;
  if (!load) return out;
  if (load.mode === 'concurrency') {
    if (load.rates) out.push('load.rates: concurrency mode uses load.levels (rates are for mode "rate")');
    if (load.arrival) out.push('load.arrival: concurrency mode has no arrival process (closed loop); remove it or use mode "rate"');
  } else if (load.levels) {
    out.push('load.levels: rate mode uses load.rates (arrivals per second)');
  }
  const levels = (load.mode === 'concurrency' ? load.levels : load.rates) ?? [];
  const key = load.mode === 'concurrency' ? 'levels' : 'rates';
  levels.forEach((l, i) => {
    if (i > 0 && l <= levels[i - 1]) out.push(`load.${key}[${i}]: must be larger than the level before it (${levels[i - 1]}); the knee and the stop rules read the levels in ascending order`);
  });
  load.endpoints?.forEach((e, i) => {
    if (!known.includes(e)) out.push(`load.endpoints[${i}]: unknown endpoint "${e}" (declared: ${known.join(', ')})`);
  });
  if (x.warmup !== undefined && x.warmup > 0) out.push('warmup: capacity runs warm up by time (load.warmupS), not by warm-up runs; remove "warmup"');
  if (x.stop?.afterSloBroken === true && !x.slo) out.push('stop.afterSloBroken: needs an "slo" to decide when it is broken');
  return out;
}

export function normalizeCapacity(x: ExperimentFile, seed: number, endpoint: string): NormalizedCapacity {
  const load = x.load!;
  return {
    load: {
      mode: load.mode,
      levels: [...((load.mode === 'concurrency' ? load.levels : load.rates) ?? [])],
      arrival: load.mode === 'rate' ? (load.arrival ?? CAPACITY_DEFAULTS.arrival) : null,
      durationS: load.durationS ?? CAPACITY_DEFAULTS.durationS,
      warmupS: load.warmupS ?? CAPACITY_DEFAULTS.warmupS,
      seed: load.seed ?? seed,
      endpoints: load.endpoints ?? [endpoint],
    },
    slo: x.slo ?? null,
    stop: { afterSloBroken: x.stop?.afterSloBroken ?? x.slo !== undefined, errorRatePct: x.stop?.errorRatePct ?? null },
  };
}

/** One run per variant × level × repetition; a variant's runs are contiguous (its managed server runs once). */
export function capacityPlan(x: NormalizedExperiment): PlannedRun[] {
  const out: PlannedRun[] = [];
  for (const v of x.variants) {
    for (const level of x.capacity!.load.levels) {
      for (let rep = 1; rep <= x.repetitions; rep++) {
        out.push({ index: out.length, variant: v.name, repetition: rep, warmup: false, unloadBefore: false, promptIndex: 0, level });
      }
    }
  }
  return out;
}
