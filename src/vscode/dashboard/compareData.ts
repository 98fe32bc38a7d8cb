// What the comparison view shows: the two groups (mean ± 95% CI of per-run values) and the CI of the
// difference with its verdict, from the same core statistics as `chimeraforge compare` (nothing is
// written: the view only reads; the report writer and its canvas stay out of the extension bundle).
import { ChimeraError } from '../../core/errors';
import { trDirOf } from '../../core/report/locate';
import { summaryOptionsOf } from '../../core/report/recompute';
import { SummaryAccumulator } from '../../core/stats/accumulator';
import { compareSamples } from '../../core/stats/compare';
import { metricInfo } from '../../core/stats/metrics';
import { statOf } from '../../core/stats/summaryTypes';
import { readMeta, readRunsSync } from '../../core/store/read';
import type { CompareGroup, CompareViewData, GroupPointer } from '../../shared/protocol';

interface Group { stats: CompareGroup; values: Float64Array }

function group(reportsDir: string, g: GroupPointer, metric: string): Group {
  const dir = trDirOf(reportsDir, g.trId);
  const acc = new SummaryAccumulator(summaryOptionsOf(readMeta(dir)));
  for (const r of readRunsSync(dir).runs) acc.add(r);
  const variants = acc.finish().variants.filter((v) => v.n > 0);
  let variant = g.variant;
  if (variant === undefined) {
    if (variants.length !== 1) {
      throw new ChimeraError('E_BAD_INPUT', `${g.trId} has ${variants.length} variants with counted runs; name one`, {
        where: g.trId, hint: `choose one of: ${variants.map((v) => v.name).join(', ') || '(none)'}`,
      });
    }
    variant = variants[0].name;
  }
  const v = variants.find((x) => x.name === variant);
  const s = v ? statOf(v, metric) : null;
  if (!s) {
    throw new ChimeraError('E_NOT_FOUND', `${g.trId}:${variant} has no counted ${metric} values`, {
      where: `${g.trId}:${variant}`, hint: `variants with counted runs: ${variants.map((x) => x.name).join(', ') || '(none)'}`,
    });
  }
  return { stats: { label: `${g.trId}:${variant}`, trId: g.trId, variant, n: s.n, mean: s.mean, sd: s.sd, ci95: s.ci95 }, values: acc.values(variant, metric) };
}

export function loadCompareView(reportsDir: string, a: GroupPointer, b: GroupPointer, metric = 'decode_tps'): CompareViewData {
  const ga = group(reportsDir, a, metric);
  const gb = group(reportsDir, b, metric);
  if (ga.stats.label === gb.stats.label) {
    throw new ChimeraError('E_BAD_INPUT', `both groups are ${ga.stats.label}`, { where: ga.stats.label, hint: 'compare two different variants or TRs' });
  }
  const c = compareSamples(ga.values, gb.values, { a: ga.stats.label, b: gb.stats.label, metric });
  return {
    metric, unit: metricInfo(metric).unit, better: c.better, a: ga.stats, b: gb.stats,
    diff: c.diff, ci95: c.ci95, percent: c.percent, percentCi95: c.percentCi95, p: c.p, g: c.g, verdict: c.verdict,
    ...(c.degenerate ? { degenerate: c.degenerate } : {}),
    sampleSizeHint: c.sampleSizeHint,
  };
}
