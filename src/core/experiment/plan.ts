// The run plan: variants × repetitions × warm-ups in a declared order, with re-warm runs inserted
// wherever consecutive runs differ in load-time options (a model reload would otherwise be measured).
import type { OllamaOptions } from '../types';
import type { NormalizedExperiment, NormalizedVariant } from './types';
import { mulberry32 } from '../random';
import { capacityPlan } from '../capacity/normalize';

/**
 * Options that change the loaded runner: a different value forces Ollama to reload the model (server/sched.go
 * needsReload, OLLAMA.md §2.4). use_mlock and low_vram are no longer load-time options (ignored with a warning).
 */
export const LOAD_TIME_OPTIONS = ['num_ctx', 'num_batch', 'num_gpu', 'main_gpu', 'use_mmap', 'num_thread', 'draft_num_predict'] as const;

export interface PlannedRun {
  /** Position in the plan, 0-based; becomes RunRecord.run. */
  index: number;
  variant: string;
  /** Measured runs: 1..repetitions. Warm-ups: 0. */
  repetition: number;
  warmup: boolean;
  warmupReason?: 'declared' | 'reload';
  /** Unload the model(s) before this run (unloadBetweenVariants, at a variant change). */
  unloadBefore: boolean;
  /** Which prompt of the experiment's prompt list this run sends (cycled by repetition). */
  promptIndex: number;
  /** multi-agent sequential baseline: this run executes only the named agent, alone. */
  soloAgent?: string;
  /** capacity: the concurrency level or arrival rate this run holds. */
  level?: number;
}

function shuffle<T>(items: T[], seed: number): T[] {
  const rnd = mulberry32(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function loadOptions(options: OllamaOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of LOAD_TIME_OPTIONS) if (k in options) out[k] = options[k];
  return out;
}

/** What must be loaded for a variant: per endpoint, the model and its load-time options. */
export function loadKey(x: NormalizedExperiment, v: NormalizedVariant): string {
  if (x.kind === 'multi-agent' && x.agents) {
    return JSON.stringify(
      x.agents.map((a) => [a.endpoint, a.model, loadOptions({ ...a.options, ...(v.agentOptions?.[a.name] ?? {}) })]),
    );
  }
  const endpoint = x.kind === 'command' ? (x.implementations?.find((i) => i.name === v.implementation)?.endpoint ?? x.endpoint) : x.endpoint;
  return JSON.stringify([endpoint, v.model, loadOptions(v.options)]);
}

type Slot = Omit<PlannedRun, 'index' | 'unloadBefore'>;

function measuredSlots(x: NormalizedExperiment, v: NormalizedVariant, rep: number): Slot[] {
  const promptIndex = x.prompts.length > 0 ? (rep - 1) % x.prompts.length : 0;
  const concurrent: Slot = { variant: v.name, repetition: rep, warmup: false, promptIndex };
  if (x.kind !== 'multi-agent' || !x.sequentialBaseline || !x.agents) return [concurrent];
  // Solo runs of each agent next to the concurrent run, so the sequential baseline sees the same conditions.
  return [...x.agents.map((a) => ({ ...concurrent, soloAgent: a.name })), concurrent];
}

function baseOrder(x: NormalizedExperiment): Slot[] {
  const warm: Slot[] = [];
  for (let i = 0; i < x.warmup; i++) {
    for (const v of x.variants) warm.push({ variant: v.name, repetition: 0, warmup: true, warmupReason: 'declared', promptIndex: 0 });
  }
  const measured: Slot[][] = [];
  if (x.order === 'sequential') {
    // Sequential: each variant's warm-ups directly before its own measured runs.
    return x.variants.flatMap((v) => [
      ...warm.filter((w) => w.variant === v.name),
      ...Array.from({ length: x.repetitions }, (_, r) => measuredSlots(x, v, r + 1)).flat(),
    ]);
  }
  for (let r = 1; r <= x.repetitions; r++) for (const v of x.variants) measured.push(measuredSlots(x, v, r));
  // Random order shuffles whole measured units (a concurrent run keeps its solo runs beside it).
  const ordered = x.order === 'random' ? shuffle(measured, x.seed) : measured;
  return [...warm, ...ordered.flat()];
}

/** Slots as planned runs after `prev`: a re-warm run wherever the loaded runner would change, or an unload at a variant change. */
function place(x: NormalizedExperiment, slots: Slot[], prev: Slot | undefined, start: number): PlannedRun[] {
  const byName = new Map(x.variants.map((v) => [v.name, v]));
  const out: PlannedRun[] = [];
  for (const slot of slots) {
    const v = byName.get(slot.variant)!;
    const variantChanged = prev !== undefined && prev.variant !== slot.variant;
    const reloads = prev !== undefined && loadKey(x, byName.get(prev.variant)!) !== loadKey(x, v);
    if (x.unloadBetweenVariants) {
      out.push({ ...slot, index: start + out.length, unloadBefore: variantChanged });
    } else {
      if (reloads && !slot.warmup) {
        out.push({ variant: v.name, repetition: 0, warmup: true, warmupReason: 'reload', promptIndex: 0, index: start + out.length, unloadBefore: false });
      }
      out.push({ ...slot, index: start + out.length, unloadBefore: false });
    }
    prev = slot;
  }
  return out;
}

export function buildPlan(x: NormalizedExperiment): PlannedRun[] {
  if (x.kind === 'capacity') return capacityPlan(x);
  return place(x, baseOrder(x), undefined, 0);
}

/**
 * Adaptive repetitions, interleaved or random order: repetition `rep` of every variant, to run after
 * `after` (the plan's last run). Random order shuffles the round's units with a seed of its own
 * (the experiment's seed + rep), so a re-run adds the same rounds.
 */
export function roundRuns(x: NormalizedExperiment, rep: number, after: PlannedRun | undefined): PlannedRun[] {
  const units = x.variants.map((v) => measuredSlots(x, v, rep));
  const ordered = x.order === 'random' ? shuffle(units, x.seed + rep) : units;
  return place(x, ordered.flat(), after, after === undefined ? 0 : after.index + 1);
}

/** Adaptive repetitions, sequential order: repetition `rep` of one variant, right after `after` (its previous run). */
export function repetitionRuns(x: NormalizedExperiment, variant: string, rep: number, after: PlannedRun): PlannedRun[] {
  const v = x.variants.find((c) => c.name === variant)!;
  return place(x, measuredSlots(x, v, rep), after, after.index + 1);
}
