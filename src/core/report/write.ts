// `report`: regenerate a TR's summary, summary.csv, charts and Technical_Report_<id>.md from its raw
// runs.jsonl, then update meta.json (summary, artifacts) atomically and the reports index.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { chartsFor } from '../charts/select';
import { writeChartPngs } from '../charts/render';
import { summaryCsv } from '../stats/csv';
import type { RunSummary } from '../stats/summaryTypes';
import { writeFileAtomic, writeJsonAtomic } from '../store/files';
import { metaPath, readMeta, runsPath, shownStatus, type CorruptLine } from '../store/read';
import { reportFileName } from '../store/trId';
import type { Meta, ShownStatus } from '../types';
import { isRecord, type ModelOutputExcerpt, type ReportFigure } from './model';
import { coldRunsOf, sweepOfMeta } from '../store/metaExperiment';
import { RunDigest, type OutputPick } from './digest';
import { readOutputs } from '../store/outputs';
import { forEachRunSync } from './runLines';
import { renderReport } from './render';
import { regenerateIndex } from './reportsIndex';

export interface WriteReportOptions {
  /** Where Technical_Report_<id>.md and README.md go (default: the TR directory's parent). */
  reportsDir?: string;
  /** Render the PNG figures (default true); false keeps the charts already listed in meta.json. */
  charts?: boolean;
  /** Regenerate the reports index README.md afterwards (default true). */
  index?: boolean;
  /** Said in the report's Figures section when it ends up with no figure (why none are drawn here). */
  figuresNote?: string;
}

export interface WriteReportResult {
  id: string;
  reportFile: string;
  /** Chart paths relative to the TR directory. */
  charts: string[];
  status: ShownStatus;
  summary: RunSummary;
  /** False when the TR is still being written by a live process (its meta.json is left to that writer). */
  metaUpdated: boolean;
  /** runs.jsonl lines that could not be read: skipped (and said so in the report). */
  corrupt: CorruptLine[];
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** The generated text the digest picked (stage "report" preferred), read from the TR's outputs. */
export function readModelOutput(trDir: string, meta: Meta, pick: OutputPick | null): ModelOutputExcerpt | null {
  if (!pick || (meta.kind !== 'agent' && meta.kind !== 'multi-agent')) return null;
  // outputs.jsonl or (earlier TRs) a file under the TR directory — never outside it.
  const text = readOutputs(trDir, [pick.file]).get(pick.file);
  if (text === undefined) return null;
  return { file: pick.file, run: pick.run, variant: pick.variant, stage: pick.stage, ...(pick.agent ? { agent: pick.agent } : {}), text };
}

/** variant → its model and scenario from the experiment as run (undefined when all variants share them). */
function modelsOf(meta: Meta): ((variant: string) => string) | undefined {
  const map = new Map<string, string>();
  const variants = Array.isArray(meta.experiment.variants) ? meta.experiment.variants : [];
  for (const v of variants) {
    if (!isRecord(v) || typeof v.name !== 'string') continue;
    const model = typeof v.model === 'string' ? v.model : '';
    map.set(v.name, [model, typeof v.scenario === 'string' ? v.scenario : ''].filter((x) => x !== '').join(' · '));
  }
  if (new Set(map.values()).size < 2) return undefined;
  return (variant) => map.get(variant) ?? '';
}

/** Everything a report needs, computed from the raw runs; with renderCharts the PNGs are (re)written. */
export function prepareReport(trDir: string, reportsDir: string, renderCharts: boolean, figuresNote?: string): { meta: Meta; status: ShownStatus; summary: RunSummary; charts: string[]; markdown: string; corrupt: CorruptLine[] } {
  const dir = resolve(trDir);
  const meta = readMeta(dir);
  const status = shownStatus(meta);
  // One streaming pass: the summary, the report's facts and a bounded sample of runs for the figures.
  const digest = new RunDigest(meta);
  const { corrupt } = forEachRunSync(runsPath(dir), (r) => digest.add(r));
  const { summary, facts, sample, output } = digest.finish();
  const defs = chartsFor({ summary, runs: sample, sweep: sweepOfMeta(meta), modelOf: modelsOf(meta), coldRuns: coldRunsOf(meta) });
  // Without rendering, the figures already on disk are referenced (same titles, same markdown).
  const specs = renderCharts ? defs : defs.filter((d) => existsSync(join(dir, 'charts', `${d.name}.png`)));
  const charts = renderCharts ? writeChartPngs(dir, specs) : specs.map((d) => `charts/${d.name}.png`);
  const figures: ReportFigure[] = specs.map((d, i) => ({ path: toPosix(relative(reportsDir, join(dir, charts[i]))), title: d.title, caption: d.caption }));
  const markdown = renderReport({ meta, status, summary, facts, corrupt, figures, ...(figuresNote ? { figuresNote } : {}), modelOutput: readModelOutput(dir, meta, output) });
  return { meta, status, summary, charts, markdown, corrupt };
}

export function writeReport(trDir: string, opts: WriteReportOptions = {}): WriteReportResult {
  const dir = resolve(trDir);
  const reportsDir = resolve(opts.reportsDir ?? dirname(dir));
  const { meta, status, summary, charts, markdown, corrupt } = prepareReport(dir, reportsDir, opts.charts ?? true, opts.figuresNote);
  const reportFile = join(reportsDir, reportFileName(meta.id));
  writeFileAtomic(join(dir, 'summary.csv'), summaryCsv(summary));
  writeFileAtomic(reportFile, markdown);
  // A live writer owns meta.json; writing it here would race with its next flush.
  const metaUpdated = status !== 'running';
  if (metaUpdated) {
    const fresh = readMeta(dir);
    fresh.summary = summary;
    fresh.artifacts = { ...fresh.artifacts, runs: 'runs.jsonl', summaryCsv: 'summary.csv', report: toPosix(relative(dir, reportFile)), charts };
    writeJsonAtomic(metaPath(dir), fresh);
  }
  if (opts.index ?? true) regenerateIndex(reportsDir);
  return { id: meta.id, reportFile, charts, status, summary, metaUpdated, corrupt };
}
