// `gate`: a variant of a NEW TR against a variant of a BASE TR, decided by the gate rule (stats/gate) on
// per-run values of counted runs, with the provenance differences of the two sides. Reads only: the
// baseline may be a committed TR that a CI job must not change. The CLI, the compare view and the
// CodeLens all decide through gateGroups.
import { ChimeraError } from '../errors';
import { gateSamples, gateSentence } from '../stats/gate';
import { SUMMARY_METRICS } from '../stats/metrics';
import { describeDifference, provenanceDifferences } from '../store/provenance';
import type { Meta } from '../types';
import { groupValues, readTrGroups, type GroupRef } from './compareTrs';
import type { GateResult } from './gateTypes';

export interface GateTrOptions {
  metric: string;
  maxRegressionPct?: number;
  /** Decide even when model digest, server version or GPU differ. */
  allowMismatch?: boolean;
}

/** One side as read from disk: its TR, resolved variant, per-run values of the metric and meta.json. */
export interface GateSide { tr: string; variant: string; values: ArrayLike<number>; meta: Meta }

export function checkGateMetric(metric: string): string {
  if (!SUMMARY_METRICS.includes(metric)) {
    throw new ChimeraError('E_BAD_INPUT', `unknown metric "${metric}"`, { where: '--metric', hint: `one of: ${SUMMARY_METRICS.join(', ')}` });
  }
  return metric;
}

export function gateGroups(base: GateSide, next: GateSide, opts: GateTrOptions): GateResult {
  const metric = checkGateMetric(opts.metric);
  if (base.tr === next.tr && base.variant === next.variant) {
    throw new ChimeraError('E_BAD_INPUT', `both sides are ${base.tr}:${base.variant}`, { where: `${base.tr}:${base.variant}`, hint: 'gate a new TR (or variant) against a different baseline' });
  }
  const stats = gateSamples(base.values, next.values, { metric, maxRegressionPct: opts.maxRegressionPct });
  const provenance = provenanceDifferences({ meta: base.meta, variant: base.variant }, { meta: next.meta, variant: next.variant });
  const allowMismatch = opts.allowMismatch === true;
  const blocking = provenance.filter((d) => d.blocking);
  const outcome = blocking.length > 0 && !allowMismatch ? 'mismatch' : stats.decision;
  const baseName = `${base.tr}:${base.variant}`;
  const newName = `${next.tr}:${next.variant}`;
  const sentence = outcome === 'mismatch'
    ? `MISMATCH — ${baseName} and ${newName} differ in ${blocking.map(describeDifference).join('; ')}; not decided (with --allow-mismatch: ${stats.line})`
    : gateSentence(stats, baseName, newName);
  return { ...stats, base: { tr: base.tr, variant: base.variant }, new: { tr: next.tr, variant: next.variant }, outcome, provenance, allowMismatch, sentence };
}

export function gateTrs(reportsDir: string, base: GroupRef, next: GroupRef, opts: GateTrOptions): GateResult {
  const metric = checkGateMetric(opts.metric);
  const gb = groupValues(reportsDir, base, metric);
  const gn = groupValues(reportsDir, next, metric);
  return gateGroups({ tr: base.tr, ...gb }, { tr: next.tr, ...gn }, opts);
}

/**
 * Every variant of NEW against its counterpart in BASE (the baseline of an experiment file): the only
 * variant of each when both have one, else the variants of the same name. The CodeLens shows these.
 */
export function gateTrPairs(reportsDir: string, baseTr: string, newTr: string, opts: GateTrOptions): GateResult[] {
  const metric = checkGateMetric(opts.metric);
  const b = readTrGroups(reportsDir, baseTr);
  const n = readTrGroups(reportsDir, newTr);
  const pairs: [string, string][] = b.counted.length === 1 && n.counted.length === 1
    ? [[b.counted[0], n.counted[0]]]
    : n.counted.filter((v) => b.counted.includes(v)).map((v) => [v, v]);
  if (pairs.length === 0) {
    throw new ChimeraError('E_BAD_INPUT', `no variant of ${newTr} has a counterpart in ${baseTr}`, {
      where: `${baseTr} vs ${newTr}`, details: [`${baseTr}: ${b.counted.join(', ') || '(none)'}`, `${newTr}: ${n.counted.join(', ') || '(none)'}`],
      hint: 'choose a baseline run of the same experiment (same variant names)',
    });
  }
  return pairs.map(([vb, vn]) => gateGroups(
    { tr: baseTr, variant: vb, values: b.values(vb, metric), meta: b.meta },
    { tr: newTr, variant: vn, values: n.values(vn, metric), meta: n.meta }, opts));
}
