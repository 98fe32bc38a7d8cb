// `compare`: two groups of per-run values (a variant of a TR each; same TR or two TRs) compared with
// Welch CI, bootstrap CI, p, g and a verdict. Written under the newer TR as comparisons/<a>_vs_<b>_<metric>
// .json + .md and appended to its meta.summary.comparisons (kept when its summary is recomputed).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ChimeraError } from '../errors';
import { SummaryAccumulator } from '../stats/accumulator';
import { applyHolm, compareSamples, type ComparisonResult } from '../stats/compare';
import { writeFileAtomic, writeJsonAtomic } from '../store/files';
import { metaPath, readMeta, runsPath } from '../store/read';
import { compareTrIds } from '../store/trId';
import { provenanceDifferences, type ProvenanceDifference } from '../store/provenance';
import type { RunSummary } from '../stats/summaryTypes';
import type { Meta } from '../types';
import { comparisonTable, provenanceMarkdown } from './comparisons';
import { escapeInline } from './format';
import { assertNotRunning, trDirOf } from './locate';
import { COMPARE_SOURCE, summaryOptionsOf } from './recompute';
import { forEachRunSync } from './runLines';
import { writeReport } from './write';

export interface GroupRef { tr: string; variant?: string }

export type TrComparison = ComparisonResult & {
  source: typeof COMPARE_SOURCE; aTr: string; bTr: string; aVariant: string; bVariant: string;
  /** What differs between the two sides besides what is compared (PRODUCT.md §11.3). */
  provenance: ProvenanceDifference[];
};

export interface CompareResult { comparison: TrComparison; underTr: string; jsonFile: string; mdFile: string }

/** "TR12" or "TR12:chimera". */
export function parseGroupRef(text: string): GroupRef {
  const i = text.indexOf(':');
  if (i === -1) return { tr: text };
  const variant = text.slice(i + 1);
  if (variant === '') throw new ChimeraError('E_BAD_INPUT', `"${text}" names no variant after ":"`, { where: text, hint: 'write TR<n>:<variant>, or TR<n> alone when it has one variant' });
  return { tr: text.slice(0, i), variant };
}

export interface GroupValues { variant: string; values: Float64Array; meta: Meta }

/** A TR read once: its meta.json, the summary of its variants, and per-run values of counted runs. */
export interface TrGroups {
  tr: string;
  meta: Meta;
  /** Variants with counted runs, in summary order. */
  counted: string[];
  variants: RunSummary['variants'];
  values(variant: string, metric: string): Float64Array;
}

export function readTrGroups(reportsDir: string, tr: string): TrGroups {
  const dir = trDirOf(reportsDir, tr);
  const meta = readMeta(dir);
  const acc = new SummaryAccumulator(summaryOptionsOf(meta));
  forEachRunSync(runsPath(dir), (r) => acc.add(r));
  const variants = acc.finish().variants;
  return { tr, meta, variants, counted: variants.filter((v) => v.n > 0).map((v) => v.name), values: (v, m) => acc.values(v, m) };
}

/** The variant a reference means: the named one (it must have counted runs), or the only one. */
export function pickVariant(g: TrGroups, variant: string | undefined): string {
  const { tr, counted } = g;
  if (variant === undefined) {
    if (counted.length !== 1) {
      throw new ChimeraError('E_BAD_INPUT', `${tr} has ${counted.length} variants with counted runs; name one`, {
        where: tr, details: [`variants: ${counted.join(', ') || '(none)'}`], hint: `write ${tr}:<variant>`,
      });
    }
    return counted[0];
  }
  if (!counted.includes(variant)) {
    throw new ChimeraError('E_NOT_FOUND', `${tr} has no variant "${variant}" with counted runs`, {
      where: `${tr}:${variant}`, details: [`variants with counted runs: ${counted.join(', ') || '(none)'}`],
    });
  }
  return variant;
}

/** The per-run values of one group's counted runs, read from runs.jsonl; the variant is resolved (named, or the only one). */
export function groupValues(reportsDir: string, ref: GroupRef, metric: string): GroupValues {
  const g = readTrGroups(reportsDir, ref.tr);
  const variant = pickVariant(g, ref.variant);
  return { variant, values: g.values(variant, metric), meta: g.meta };
}

function fileStem(c: TrComparison): string {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '-');
  return `${safe(`${c.aTr}-${c.aVariant}`)}_vs_${safe(`${c.bTr}-${c.bVariant}`)}_${safe(c.metric)}`;
}

export function comparisonMarkdown(c: TrComparison): string {
  return [
    `# Comparison: ${c.aTr}:${escapeInline(c.aVariant)} vs ${c.bTr}:${escapeInline(c.bVariant)} on ${escapeInline(c.metric)}`,
    '',
    `A = ${c.aTr}:${escapeInline(c.aVariant)} (reference), B = ${c.bTr}:${escapeInline(c.bVariant)}; Δ = mean(B) − mean(A), per-run values of counted runs.`,
    '',
    comparisonTable([c]),
    '',
    `**Verdict:** ${escapeInline(c.verdict)}`,
    '',
    provenanceMarkdown(c.provenance),
  ].join('\n');
}

/** Compares two groups; writes the result under the newer TR unless `write` is false. */
export function compareTrGroups(reportsDir: string, a: GroupRef, b: GroupRef, metric = 'decode_tps', write = true): CompareResult {
  const ga = groupValues(reportsDir, a, metric);
  const gb = groupValues(reportsDir, b, metric);
  if (a.tr === b.tr && ga.variant === gb.variant) {
    throw new ChimeraError('E_BAD_INPUT', `both groups are ${a.tr}:${ga.variant}`, { where: `${a.tr}:${ga.variant}`, hint: 'compare two different variants or TRs' });
  }
  const aName = `${a.tr}:${ga.variant}`;
  const bName = `${b.tr}:${gb.variant}`;
  const result = compareSamples(ga.values, gb.values, { a: aName, b: bName, metric });
  const provenance = provenanceDifferences({ meta: ga.meta, variant: ga.variant }, { meta: gb.meta, variant: gb.variant });
  const computed: TrComparison = { ...result, source: COMPARE_SOURCE, aTr: a.tr, bTr: b.tr, aVariant: ga.variant, bVariant: gb.variant, provenance };
  const underTr = compareTrIds(a.tr, b.tr) >= 0 ? a.tr : b.tr;
  const dir = trDirOf(reportsDir, underTr);
  const stem = fileStem(computed);
  const jsonFile = join(dir, 'comparisons', `${stem}.json`);
  const mdFile = join(dir, 'comparisons', `${stem}.md`);
  // The new comparison joins the TR's family of comparisons of this metric: Holm runs over all of them.
  const meta = readMeta(dir);
  const same = (c: Record<string, unknown>): boolean => c.source === COMPARE_SOURCE && c.a === computed.a && c.b === computed.b && c.metric === computed.metric;
  const all = applyHolm([...(meta.summary.comparisons ?? []).filter((c) => !same(c)), computed]);
  const comparison = all[all.length - 1] as TrComparison;
  if (!write) return { comparison, underTr, jsonFile, mdFile };
  assertNotRunning(dir, underTr, 'add a comparison');
  mkdirSync(join(dir, 'comparisons'), { recursive: true });
  writeJsonAtomic(jsonFile, comparison);
  writeFileAtomic(mdFile, comparisonMarkdown(comparison));
  meta.summary.comparisons = all;
  writeJsonAtomic(metaPath(dir), meta);
  // The newer TR's report shows the comparison from now on (figures are left as they are).
  writeReport(dir, { reportsDir, charts: false });
  return { comparison, underTr, jsonFile, mdFile };
}
