// `import <dir>`: detect the layout, parse everything into memory (nothing written on bad input), then write
// a normal TR directory through TrWriter: runs.jsonl, outputs/, meta.json with provenance, our summary and
// the differences from the original.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ChimeraError } from '../errors';
import { buildSummary } from '../stats/accumulator';
import { summaryCsv } from '../stats/csv';
import type { RunSummary } from '../stats/summaryTypes';
import { TrWriter } from '../store/writer';
import { existingTrIds } from '../store/trId';
import { type Candidate, chooseCandidate, detectLayouts } from './detect';
import { REPORTED_HARDWARE, toEnvironment } from './environment';
import { EndpointNames } from './names';
import { publishedDataSet, publishedDifferences } from './published';
import { parsePythonMulti } from './pythonMulti';
import { parsePythonSweep } from './pythonSweep';
import { parseRuntimeMatrix } from './runtimeMatrix';
import { parseRustMulti } from './rustMulti';
import { parseRustSingle } from './rustSingle';
import { ImportScan, isDir } from './scan';
import { parseTr108 } from './tr108';
import type { Difference, ImportPlan, LayoutName, Skipped } from './types';

const PARSERS: Record<LayoutName, (scan: ImportScan, endpoints: EndpointNames) => ImportPlan> = {
  'rust-single': parseRustSingle,
  'python-sweep': parsePythonSweep,
  'python-multi': parsePythonMulti,
  'rust-multi': parseRustMulti,
  'runtime-matrix': parseRuntimeMatrix,
  'tr108-csv': parseTr108,
};

export interface ImportOptions {
  reportsDir: string;
  layout?: LayoutName | 'auto';
  /** TR id to write; default: the layout's original id when free (e.g. TR114_v2), else the next free number. */
  as?: string;
  title?: string;
}

export interface ImportResult {
  id: string;
  dir: string;
  candidate: Candidate;
  runs: number;
  files: number;
  skipped: Skipped[];
  differences: Difference[];
  summary: RunSummary;
  commit: string | null;
}

/** The commit the data says it comes from: a README.md in the folder or above naming `commit <hex>`. */
export function dataCommit(root: string): string | null {
  let dir = resolve(root);
  for (let i = 0; i < 8; i++) {
    const readme = join(dir, 'README.md');
    if (existsSync(readme)) {
      const m = /commit\s+`?([0-9a-f]{7,40})`?/i.exec(readFileSync(readme, 'utf8'));
      if (m) return m[1];
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/** Detect and parse without writing anything. */
export function planImport(dir: string, layout: LayoutName | 'auto' = 'auto'): { candidate: Candidate; plan: ImportPlan; endpoints: EndpointNames; contentHash: string } {
  const abs = resolve(dir);
  if (!isDir(abs)) throw new ChimeraError('E_NOT_FOUND', `${abs} is not a folder`, { where: abs, hint: 'pass the folder that holds the original results' });
  const candidate = chooseCandidate(abs, detectLayouts(abs), layout);
  const endpoints = new EndpointNames();
  const scan = new ImportScan(candidate.root);
  const plan = PARSERS[candidate.layout](scan, endpoints);
  if (plan.runs.length === 0) {
    throw new ChimeraError('E_BAD_INPUT', `no runs of layout ${candidate.layout} found in ${candidate.root}`, {
      where: candidate.root,
      details: plan.skipped.slice(0, 10).map((s) => `${s.file}: ${s.reason}`),
      hint: 'check the folder and --layout; nothing was written',
    });
  }
  return { candidate, plan, endpoints, contentHash: scan.contentHash() };
}

/**
 * What the original's protocol was, in the normalized-experiment fields readers use: no warm-ups, no
 * num_predict limit, no solo baseline, the report-agent workflow, the agents and endpoints as recorded.
 */
function protocolFacts(plan: ImportPlan): Record<string, unknown> {
  const perVariant = new Map<string, number>();
  for (const r of plan.runs) perVariant.set(r.variant, (perVariant.get(r.variant) ?? 0) + 1);
  const facts: Record<string, unknown> = {
    kind: plan.kind,
    model: plan.environment.models.join(', ') || 'unknown',
    repetitions: Math.max(...perVariant.values()),
    warmup: 0,
    maxTokens: null,
  };
  if (plan.kind !== 'prompt') facts.workflow = { type: 'report-agent' };
  if (plan.kind === 'multi-agent') {
    facts.agents = (plan.runs[0].agents ?? []).map((a) => ({ name: a.name, endpoint: a.endpoint, options: a.options }));
    facts.sequentialBaseline = false;
  }
  return facts;
}

function chooseId(reportsDir: string, plan: ImportPlan, requested?: string): string | undefined {
  if (requested) return requested;
  return existingTrIds(reportsDir).includes(plan.suggestedId) ? undefined : plan.suggestedId;
}

export function importResults(dir: string, opts: ImportOptions): ImportResult {
  const { candidate, plan, endpoints, contentHash } = planImport(dir, opts.layout ?? 'auto');
  // The original program's published figures and hardware describe one data set: attach them only to it.
  const published = publishedDataSet(candidate.layout, contentHash) !== null;
  const contentionRule = plan.contentionRule ? { rule: plan.contentionRule.rule, threshold: plan.contentionRule.threshold } : undefined;
  const summary = buildSummary(plan.runs, { kind: plan.kind, variants: plan.variants, contentionRule });
  const differences = [...plan.differences, ...publishedDifferences(plan, summary, contentHash)];
  const commit = dataCommit(candidate.root);
  // variants (with scenario) and contention are what a later `report` rebuilds the summary from.
  const experiment = {
    ...protocolFacts(plan),
    ...plan.experiment,
    title: opts.title ?? plan.title,
    variants: plan.variants,
    ...(contentionRule ? { contention: contentionRule, contentionSource: plan.contentionRule!.source } : {}),
  };
  const hash = `sha256:${createHash('sha256').update(JSON.stringify(experiment)).digest('hex')}`;
  const notes = [...plan.notes];
  const emptyCalls = plan.runs.filter((r) => r.status === 'ok' && [...r.calls, ...(r.agents ?? []).flatMap((a) => a.calls)].some((c) => c.status === 'failed'));
  if (emptyCalls.length) {
    notes.push(`${emptyCalls.length} run(s) hold a call that ended without server counters (${emptyCalls.slice(0, 5).map((r) => `${r.variant} #${r.repetition}`).join(', ')}): the call is marked failed and left out of per-call statistics; the run is kept because its wall times, which the original's run metrics use, were measured.`);
  }
  if (!published) notes.push(`The data (${contentHash}) is not the published ${candidate.layout} data set: the original reports' figures and hardware are not attached; only the stored-vs-recomputed checks apply.`);
  if (plan.kind === 'multi-agent') notes.push('speedup_vs_sequential is null: the original measured no solo (sequential) baseline, so only the overlap efficiency can be reproduced.');
  const writer = TrWriter.create(opts.reportsDir, {
    title: opts.title ?? plan.title,
    kind: plan.kind,
    planned: plan.runs.length,
    createdAt: plan.firstAt ?? undefined,
    experiment: { ...experiment, hash },
    environment: toEnvironment(plan.environment, endpoints),
    metricDefinitions: plan.definitions,
    supersedes: null,
    imported: {
      from: candidate.root,
      layout: candidate.layout,
      files: plan.files,
      ...(commit ? { commit } : {}),
      detection: candidate.evidence,
      skipped: plan.skipped,
      skippedCount: plan.skipped.length,
      runs: plan.runs.length,
      dataFrom: plan.firstAt,
      dataTo: plan.lastAt,
      environmentSources: plan.environment.sources,
      contentHash,
      publishedDataSet: published,
      ...(published ? { reportedHardware: REPORTED_HARDWARE } : {}),
      importedAt: new Date().toISOString(),
    },
    differences,
    notes,
    command: `chimeraforge import ${JSON.stringify(candidate.root)} --layout ${candidate.layout}`,
  }, chooseId(opts.reportsDir, plan, opts.as));
  for (const [name, text] of plan.outputs) writer.writeOutput(name, text);
  for (const run of plan.runs) writer.addRun(run);
  writer.finish('complete', summary, summaryCsv(summary));
  // The TR spans the original's own run times; the import time is kept in imported.importedAt.
  if (plan.lastAt) writer.update({ finishedAt: plan.lastAt });
  return { id: writer.id, dir: writer.dir, candidate, runs: plan.runs.length, files: plan.files, skipped: plan.skipped, differences, summary, commit };
}
