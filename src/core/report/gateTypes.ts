// The gate's result as the CLI prints it (--json) and the compare view receives it. Types only, free of
// Node imports, so the webview can type its data with them.
import type { GateDecision, GateStats } from '../stats/gate';
import type { ProvenanceDifference } from '../store/provenance';

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
