// `chimeraforge merge`: TRs of one experiment run on several hosts joined into one TR from their raw
// runs (PRODUCT.md §11.5). Runs are copied line by line and renumbered; each keeps where it came from
// (mergedFrom: TR, run number, host). The summary is computed from the joined raw runs, never from the
// sources' summaries. Experiments must be equal apart from endpoint URLs (the hosts differ there).
import { createHash } from 'node:crypto';
import { ChimeraError } from '../errors';
import { canonicalJson } from '../experiment/normalize';
import { SummaryAccumulator } from '../stats/accumulator';
import { summaryCsv } from '../stats/csv';
import { readMeta, runsPath, shownStatus } from '../store/read';
import { TrWriter } from '../store/writer';
import { assertTrId } from '../store/trId';
import type { Meta, ShownStatus, TrStatus } from '../types';
import { assertNotRunning, trDirOf } from './locate';
import { forEachRunSync } from './runLines';

/** The experiment without what differs between hosts of one fleet run (endpoint URLs) and the stored hash. */
export function fleetExperimentHash(meta: Meta): string {
  const { hash: _h, endpoints: _e, ...rest } = meta.experiment;
  return `sha256:${createHash('sha256').update(canonicalJson(rest)).digest('hex')}`;
}

export interface MergeResult { id: string; dir: string; status: TrStatus; runs: number; from: string[] }

/** complete only when every source is; a cancelled source makes it cancelled, a failed or interrupted one failed. */
function mergedStatus(statuses: ShownStatus[]): Exclude<TrStatus, 'running'> {
  if (statuses.every((s) => s === 'complete')) return 'complete';
  if (statuses.includes('cancelled')) return 'cancelled';
  return 'failed';
}

export function mergeTrs(reportsDir: string, ids: string[], asId: string): MergeResult {
  if (ids.length < 2) throw new ChimeraError('E_BAD_INPUT', `merge needs at least two TRs, got ${ids.length}`, { where: 'arguments', hint: 'name every TR of the fleet run: chimeraforge merge TR10 TR11 TR12 --as TR20' });
  if (new Set(ids).size !== ids.length) throw new ChimeraError('E_BAD_INPUT', `a TR is named twice: ${ids.join(' ')}`, { where: 'arguments', hint: 'name each TR once' });
  assertTrId(asId, '--as');
  const sources = ids.map((id) => {
    const dir = trDirOf(reportsDir, id);
    assertNotRunning(dir, id, 'merge it');
    return { id, dir, meta: readMeta(dir) };
  });
  const hashes = sources.map((s) => fleetExperimentHash(s.meta));
  const odd = sources.filter((_, i) => hashes[i] !== hashes[0]);
  if (odd.length > 0) {
    throw new ChimeraError('E_BAD_INPUT', `${odd.map((s) => s.id).join(', ')} ran another experiment than ${sources[0].id}: only runs of one experiment can be merged`, {
      where: odd.map((s) => `${s.id}/meta.json experiment`).join(', '),
      details: sources.map((s, i) => `${s.id}: experiment ${hashes[i]} (endpoint URLs left out)`),
      hint: 'merge the TRs of one fleet run only (same experiment file, same --model); compare different experiments with chimeraforge compare',
    });
  }
  const first = sources[0].meta;
  const variants = ((first.experiment.variants ?? []) as { name: string; options?: Record<string, unknown> }[]).map((v) => ({ name: v.name, options: v.options ?? {} }));
  const writer = TrWriter.create(reportsDir, {
    title: first.title,
    kind: first.kind,
    planned: sources.reduce((n, s) => n + s.meta.counts.planned, 0),
    experiment: first.experiment,
    environment: first.environment,
    metricDefinitions: first.metricDefinitions,
    supersedes: null,
    command: `chimeraforge merge ${ids.join(' ')} --as ${asId}`,
    notes: [`Merged from ${ids.join(', ')}: raw runs joined and renumbered (each keeps mergedFrom: TR, run, host); environment is ${ids[0]}'s, every source's is under merged[].`],
  }, asId);
  const acc = new SummaryAccumulator({ kind: first.kind, variants, contentionRule: first.experiment.contention, seed: typeof first.experiment.seed === 'number' ? first.experiment.seed : undefined });
  let run = 0;
  const merged: NonNullable<Meta['merged']> = [];
  for (const s of sources) {
    const host = s.meta.environment?.host?.hostname ?? null;
    let n = 0;
    const { corrupt } = forEachRunSync(runsPath(s.dir), (r) => {
      const record = { ...r, run: run++, mergedFrom: { tr: s.id, run: r.run, host } };
      writer.addRun(record);
      acc.add(record);
      n++;
    });
    if (corrupt.length > 0) writer.meta.notes!.push(`${s.id}: ${corrupt.length} unreadable line(s) of runs.jsonl left out (first at line ${corrupt[0].line}).`);
    merged.push({ tr: s.id, host, status: shownStatus(s.meta), createdAt: s.meta.createdAt, runs: n, environment: s.meta.environment, experimentHash: s.meta.experiment.hash });
  }
  writer.meta.merged = merged;
  const summary = acc.finish();
  const status = mergedStatus(merged.map((m) => m.status));
  writer.finish(status, summary, summaryCsv(summary));
  return { id: writer.id, dir: writer.dir, status, runs: run, from: ids };
}
