// What a layout parser hands the importer: the runs mapped into our contracts, how they group, what the
// original stored about itself, and everything it had to skip. Nothing is written until the whole plan exists.
import type { Meta, RunRecord } from '../types';
import type { VariantSpec } from '../stats/summaryTypes';

export const LAYOUTS = ['rust-single', 'python-sweep', 'python-multi', 'rust-multi', 'runtime-matrix', 'tr108-csv'] as const;
export type LayoutName = (typeof LAYOUTS)[number];

/** A file or folder the importer could not use, and why (written to meta.imported.skipped and printed). */
export interface Skipped {
  file: string;
  reason: string;
}

/** One place where our recomputation and the original disagree (or agree): the meta.json `differences` row. */
export type Difference = NonNullable<Meta['differences']>[number];

/** Facts about the machine the original ran on, as far as its files tell (never guessed). */
export interface OriginalEnvironment {
  os?: string;
  arch?: string;
  hostname?: string;
  rustVersion?: string;
  gpus: { name: string; memoryTotalMb?: number }[];
  models: string[];
  endpoints: string[];
  /** Where each fact came from. */
  sources: string[];
}

export interface ImportPlan {
  layout: LayoutName;
  kind: 'prompt' | 'agent' | 'multi-agent';
  /** Default title and TR id suggested by the layout (the original's report name). */
  title: string;
  suggestedId: string;
  runs: RunRecord[];
  variants: VariantSpec[];
  /** Generated texts the original stored, saved under outputs/ (name → text); calls point at them. */
  outputs: Map<string, string>;
  files: number;
  skipped: Skipped[];
  differences: Difference[];
  environment: OriginalEnvironment;
  /** How the ORIGINAL measured each metric present (name → definition). */
  definitions: Record<string, string>;
  notes: string[];
  /** The original structure, for meta.experiment. */
  experiment: Record<string, unknown>;
  contentionRule?: { rule: string; threshold: number; source: string };
  /** Earliest and latest timestamps found in the data (ISO), when any. */
  firstAt: string | null;
  lastAt: string | null;
}
