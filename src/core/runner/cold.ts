// Unplanned loads (PRODUCT.md §11.2): a measured run in which a call paid for a model load that the plan
// did not ask for (no unload before it) is cold. A load inside a measured run comes from keep_alive expiry,
// eviction, or another client's load-time options; its seconds would be measured as TTFT.
import type { PlannedRun } from '../experiment/plan';
import type { RunRecord } from '../types';

/** cold + coldReason for a measured run with an unplanned load, else null. */
export function unplannedLoad(run: RunRecord, planned: PlannedRun, coldThresholdMs: number): { cold: true; coldReason: string } | null {
  if (planned.warmup || planned.unloadBefore) return null;
  const calls = [...run.calls.map((c) => ({ c, agent: undefined as string | undefined })), ...(run.agents ?? []).flatMap((a) => a.calls.map((c) => ({ c, agent: a.name })))];
  const loads = calls.filter(({ c }) => c.status === 'ok' && c.metrics?.cold === true);
  if (loads.length === 0) return null;
  const first = loads[0];
  const where = `${first.agent ? `agent ${first.agent}, ` : ''}${first.c.stage}`;
  return {
    cold: true,
    coldReason: `${where} loaded ${first.c.model} on ${first.c.endpoint}: load_ms ${Math.round(first.c.metrics!.load_ms ?? 0)} ≥ coldThresholdMs ${coldThresholdMs}${loads.length > 1 ? ` (${loads.length} calls loaded)` : ''}; no load was planned (keep_alive expiry, eviction, or other load-time options)`,
  };
}
