// `gate`: a variant of a NEW TR against a variant of a BASE TR, decided by the gate rule (stats/gate) on
// per-run values of counted runs, with the provenance differences of the two sides. Reads only: the
// baseline may be a committed TR that a CI job must not change.
import { ChimeraError } from '../errors';
import { gateSamples, gateSentence, type GateDecision, type GateStats } from '../stats/gate';
import { SUMMARY_METRICS } from '../stats/metrics';
import { describeDifference, provenanceDifferences, type ProvenanceDifference } from '../store/provenance';
import { groupValues, type GroupRef } from './compareTrs';

export interface GateTrOptions {
  metric: string;
  maxRegressionPct?: number;
  /** Decide even when model digest, server version or GPU differ. */
  allowMismatch?: boolean;
}

export interface GateResult extends GateStats {
  base: { tr: string; variant: string };
  new: { tr: string; variant: string };
  /** The rule's decision, or `mismatch` when blocking provenance differences refuse the comparison. */
  outcome: GateDecision | 'mismatch';
  provenance: ProvenanceDifference[];
  allowMismatch: boolean;
  /** The one line a person reads first. */
  sentence: string;
}

export function checkGateMetric(metric: string): string {
  if (!SUMMARY_METRICS.includes(metric)) {
    throw new ChimeraError('E_BAD_INPUT', `unknown metric "${metric}"`, { where: '--metric', hint: `one of: ${SUMMARY_METRICS.join(', ')}` });
  }
  return metric;
}

export function gateTrs(reportsDir: string, base: GroupRef, next: GroupRef, opts: GateTrOptions): GateResult {
  const metric = checkGateMetric(opts.metric);
  const gb = groupValues(reportsDir, base, metric);
  const gn = groupValues(reportsDir, next, metric);
  if (base.tr === next.tr && gb.variant === gn.variant) {
    throw new ChimeraError('E_BAD_INPUT', `both sides are ${base.tr}:${gb.variant}`, { where: `${base.tr}:${gb.variant}`, hint: 'gate a new TR (or variant) against a different baseline' });
  }
  const stats = gateSamples(gb.values, gn.values, { metric, maxRegressionPct: opts.maxRegressionPct });
  const provenance = provenanceDifferences({ meta: gb.meta, variant: gb.variant }, { meta: gn.meta, variant: gn.variant });
  const allowMismatch = opts.allowMismatch === true;
  const blocking = provenance.filter((d) => d.blocking);
  const outcome = blocking.length > 0 && !allowMismatch ? 'mismatch' : stats.decision;
  const baseName = `${base.tr}:${gb.variant}`;
  const newName = `${next.tr}:${gn.variant}`;
  const sentence = outcome === 'mismatch'
    ? `MISMATCH — ${baseName} and ${newName} differ in ${blocking.map(describeDifference).join('; ')}; not decided (with --allow-mismatch: ${stats.line})`
    : gateSentence(stats, baseName, newName);
  return { ...stats, base: { tr: base.tr, variant: gb.variant }, new: { tr: next.tr, variant: gn.variant }, outcome, provenance, allowMismatch, sentence };
}
