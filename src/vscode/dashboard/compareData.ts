// What the comparison view shows: the two groups (mean ± 95% CI of per-run values), the CI of the
// difference with its verdict, what differs between the two sides (provenance) and, for "Compare with
// Baseline…", the gate's decision — from the same core functions as `chimeraforge compare` and
// `chimeraforge gate` (nothing is written: the view only reads; the report writer stays out of the bundle).
import { ChimeraError } from '../../core/errors';
import { pickVariant, readTrGroups, type TrGroups } from '../../core/report/compareTrs';
import { gateGroups } from '../../core/report/gateTrs';
import { compareSamples } from '../../core/stats/compare';
import { GATE_CI_DEFINITION } from '../../core/stats/gate';
import { metricInfo } from '../../core/stats/metrics';
import { statOf } from '../../core/stats/summaryTypes';
import { provenanceDifferences } from '../../core/store/provenance';
import type { CompareGroup, CompareViewData, GroupPointer } from '../../shared/protocol';

interface Group { stats: CompareGroup; values: Float64Array; tr: TrGroups }

function group(reportsDir: string, g: GroupPointer, metric: string): Group {
  const tr = readTrGroups(reportsDir, g.trId);
  const variant = pickVariant(tr, g.variant);
  const s = statOf(tr.variants.find((x) => x.name === variant)!, metric);
  if (!s) {
    throw new ChimeraError('E_NOT_FOUND', `${g.trId}:${variant} has no counted ${metric} values`, {
      where: `${g.trId}:${variant}`, hint: `variants with counted runs: ${tr.counted.join(', ') || '(none)'}`,
    });
  }
  return { stats: { label: `${g.trId}:${variant}`, trId: g.trId, variant, n: s.n, mean: s.mean, sd: s.sd, ci95: s.ci95 }, values: tr.values(variant, metric), tr };
}

/** `gate` set: A is the baseline and the gate decides B against it with that margin. */
export function loadCompareView(reportsDir: string, a: GroupPointer, b: GroupPointer, metric = 'decode_tps', gate?: { maxRegressionPct: number }): CompareViewData {
  const ga = group(reportsDir, a, metric);
  const gb = group(reportsDir, b, metric);
  if (ga.stats.label === gb.stats.label) {
    throw new ChimeraError('E_BAD_INPUT', `both groups are ${ga.stats.label}`, { where: ga.stats.label, hint: 'compare two different variants or TRs' });
  }
  const c = compareSamples(ga.values, gb.values, { a: ga.stats.label, b: gb.stats.label, metric });
  const side = (g: Group) => ({ tr: g.stats.trId, variant: g.stats.variant, values: g.values, meta: g.tr.meta });
  const decision = gate ? gateGroups(side(ga), side(gb), { metric, maxRegressionPct: gate.maxRegressionPct }) : undefined;
  return {
    metric, unit: metricInfo(metric).unit, better: c.better, a: ga.stats, b: gb.stats,
    diff: c.diff, ci95: c.ci95, percent: c.percent, percentCi95: c.percentCi95, p: c.p, g: c.g, verdict: c.verdict,
    ...(c.degenerate ? { degenerate: c.degenerate } : {}),
    sampleSizeHint: c.sampleSizeHint,
    provenance: decision?.provenance ?? provenanceDifferences({ meta: ga.tr.meta, variant: ga.stats.variant }, { meta: gb.tr.meta, variant: gb.stats.variant }),
    ...(decision ? { gate: { ...decision, ciDefinition: GATE_CI_DEFINITION } } : {}),
  };
}
