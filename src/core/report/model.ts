// What a report is rendered from: everything read and computed beforehand, so rendering is a pure
// function of its input (the same TR directory gives byte-identical markdown).
import type { RunSummary } from '../stats/summaryTypes';
import type { CorruptLine } from '../store/read';
import type { Meta, ShownStatus } from '../types';
import type { RunFacts } from './digest';
import { isRecord } from '../store/metaExperiment';

export interface ReportFigure {
  /** Path of the PNG relative to the report file (forward slashes). */
  path: string;
  title: string;
  caption: string;
}

export interface ModelOutputExcerpt {
  /** Path relative to the TR directory. */
  file: string;
  run: number;
  variant: string;
  stage: string;
  agent?: string;
  text: string;
}

export interface ReportInput {
  meta: Meta;
  status: ShownStatus;
  summary: RunSummary;
  /** What the raw runs say beside the summary (exclusions, per-run rows, exit codes). */
  facts: RunFacts;
  corrupt: readonly CorruptLine[];
  figures: readonly ReportFigure[];
  /** Why this report has no figures where it has none (an install without the chart renderer); said in the report. */
  figuresNote?: string;
  modelOutput: ModelOutputExcerpt | null;
}


export { isRecord };

export function records(x: unknown): Record<string, unknown>[] {
  return Array.isArray(x) ? x.filter(isRecord) : [];
}

export function str(x: unknown, fallback = ''): string {
  return typeof x === 'string' ? x : fallback;
}

/** A markdown section: heading text (without #) and body; numbered by the renderer. */
export interface Section {
  title: string;
  body: string;
  /** Unnumbered sections (Executive Summary, appendices) keep their title as is. */
  numbered: boolean;
}
