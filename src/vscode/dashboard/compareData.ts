// What the comparison view shows: the two groups (mean ± 95% CI of per-run values) and the CI of the
// difference with its verdict, computed by the same core function as `chimeraforge compare` (nothing
// is written: the view only reads).
import { compareTrGroups } from '../../core/report/compareTrs';
import { trDirOf } from '../../core/report/locate';
import { recomputeSummary } from '../../core/report/recompute';
import { metricInfo } from '../../core/stats/metrics';
import { statOf } from '../../core/stats/summaryTypes';
import { readMeta, readRunsSync } from '../../core/store/read';
import { ChimeraError } from '../../core/errors';
import type { CompareGroup, CompareViewData, GroupPointer } from '../../shared/protocol';

function groupStats(reportsDir: string, trId: string, variant: string, metric: string): CompareGroup {
  const dir = trDirOf(reportsDir, trId);
  const meta = readMeta(dir);
  const summary = recomputeSummary(meta, readRunsSync(dir).runs);
  const v = summary.variants.find((x) => x.name === variant);
  const s = v ? statOf(v, metric) : null;
  if (!s) throw new ChimeraError('E_NOT_FOUND', `${trId}:${variant} has no ${metric} values`, { where: `${trId}:${variant}` });
  return { label: `${trId}:${variant}`, trId, variant, n: s.n, mean: s.mean, sd: s.sd, ci95: s.ci95 };
}

export function loadCompareView(reportsDir: string, a: GroupPointer, b: GroupPointer, metric = 'decode_tps'): CompareViewData {
  const ref = (g: GroupPointer): { tr: string; variant?: string } => ({ tr: g.trId, ...(g.variant !== undefined ? { variant: g.variant } : {}) });
  const { comparison: c } = compareTrGroups(reportsDir, ref(a), ref(b), metric, false);
  const info = metricInfo(metric);
  return {
    metric, unit: info.unit, better: c.better,
    a: groupStats(reportsDir, c.aTr, c.aVariant, metric),
    b: groupStats(reportsDir, c.bTr, c.bVariant, metric),
    diff: c.diff, ci95: c.ci95, percent: c.percent, percentCi95: c.percentCi95, p: c.p, g: c.g, verdict: c.verdict,
    ...(c.degenerate ? { degenerate: c.degenerate } : {}),
    sampleSizeHint: c.sampleSizeHint,
  };
}
