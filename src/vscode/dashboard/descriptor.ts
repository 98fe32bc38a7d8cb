// View descriptors: the tab title of a view, and what a panel revived after a reload shows. Pure, so
// the revive rules are tested in Node.
import { basename, dirname } from 'node:path';
import type { ViewDescriptor } from '../../shared/protocol';

export function viewTitle(view: ViewDescriptor): string {
  switch (view.kind) {
    case 'live':
      return view.trId ? `Chimeraforge: ${view.trId} (live)` : 'Chimeraforge: live run';
    case 'tr':
      return `Chimeraforge: ${view.trId}`;
    case 'compare':
      return view.gate ? `Chimeraforge: ${view.b.trId} vs baseline ${view.a.trId}` : `Chimeraforge: ${view.a.trId} vs ${view.b.trId}`;
  }
}

function isGroup(x: unknown): x is { trId: string; variant?: string } {
  return typeof x === 'object' && x !== null && typeof (x as { trId?: unknown }).trId === 'string'
    && ((x as { variant?: unknown }).variant === undefined || typeof (x as { variant?: unknown }).variant === 'string');
}

function isGate(x: unknown): x is { maxRegressionPct: number } {
  return typeof x === 'object' && x !== null && typeof (x as { maxRegressionPct?: unknown }).maxRegressionPct === 'number';
}

/**
 * What a revived panel shows. Saved state comes from the webview, so it is checked, not trusted: a
 * malformed one gives the live view. A live view whose run is gone (not `liveTrId`) shows that run's
 * TR from disk.
 */
export function reviveDescriptor(saved: unknown, liveTrId: string | null): ViewDescriptor {
  const v = saved as Record<string, unknown> | null | undefined;
  if (!v || typeof v !== 'object') return { kind: 'live' };
  if (v.kind === 'tr' && typeof v.trId === 'string' && typeof v.reportsDir === 'string') return { kind: 'tr', trId: v.trId, reportsDir: v.reportsDir };
  if (v.kind === 'compare' && isGroup(v.a) && isGroup(v.b)) {
    return {
      kind: 'compare', a: { ...v.a }, b: { ...v.b },
      ...(typeof v.metric === 'string' ? { metric: v.metric } : {}), ...(typeof v.reportsDir === 'string' ? { reportsDir: v.reportsDir } : {}),
      ...(isGate(v.gate) ? { gate: { maxRegressionPct: v.gate.maxRegressionPct } } : {}),
    };
  }
  if (v.kind === 'live' && typeof v.trDir === 'string' && v.trDir !== '' && v.trId !== liveTrId) {
    return { kind: 'tr', trId: typeof v.trId === 'string' && v.trId ? v.trId : basename(v.trDir), reportsDir: dirname(v.trDir) };
  }
  return { kind: 'live' };
}
