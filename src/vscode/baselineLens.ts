// The CodeLens line above an experiment file that says how its newest result compares with the file's
// baseline ("decode_tps −4.1% [−6.0, −2.2], regression"), decided by the same gate as `chimeraforge gate`.
// Results are cached until the results explorer re-reads the reports directory or a setting changes.
import { errorMessage } from '../core/errors';
import { gateTrPairs } from '../core/report/gateTrs';
import type { GateResult } from '../core/report/gateTypes';
import { baselineKey, baselineOf, newestResultOf } from './baseline';
import type { CommandServices } from './services';

type Services = Pick<CommandServices, 'workspaceDir' | 'reportsDir' | 'config'>;

/** At most this many variants get a lens each; the compare view shows any of them. */
const MAX_VARIANT_LENSES = 4;

export interface LensLine { title: string; command: string; arguments: unknown[]; tooltip: string }

function gateTitle(r: GateResult, several: boolean): string {
  const who = several ? `${r.new.variant}: ` : '';
  if (r.outcome === 'mismatch') {
    const what = r.provenance.filter((d) => d.blocking).map((d) => d.field).join(', ');
    return `${who}${r.metric} vs baseline ${r.base.tr}: mismatch (${what})`;
  }
  return `${who}${r.line}`;
}

function safely<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** The lens lines of an experiment file; never throws (a problem becomes a line that says so). */
export function baselineLensLines(s: Services, file: string): LensLine[] {
  const key = baselineKey(s, file);
  const base = baselineOf(s, file);
  if (!base) {
    // Only a file that has results can have a baseline.
    if (safely(() => newestResultOf(s, file)) === undefined) return [];
    return [{ title: 'Set baseline…', command: 'chimeraforge.setBaseline', arguments: [undefined, file], tooltip: `Choose the TR that ${key}'s later results are gated against` }];
  }
  let newest: string | undefined;
  try {
    newest = newestResultOf(s, file);
    if (newest === undefined || newest === base) {
      return [{ title: `baseline ${base}${newest === base ? ' (newest result)' : ''}`, command: 'chimeraforge.openInDashboard', arguments: [base], tooltip: `${key} is gated against ${base}; run it to compare` }];
    }
    const { gateMetric: metric, gateMaxRegressionPct: maxRegressionPct } = s.config();
    const results = gateTrPairs(s.reportsDir(), base, newest, { metric, maxRegressionPct });
    return results.slice(0, MAX_VARIANT_LENSES).map((r) => ({
      title: gateTitle(r, results.length > 1),
      command: 'chimeraforge.compareWithBaseline',
      arguments: [`${r.new.tr}:${r.new.variant}`, `${r.base.tr}:${r.base.variant}`],
      tooltip: `${r.sentence} — margin ${maxRegressionPct}%; click for the comparison`,
    }));
  } catch (e) {
    return [{ title: `baseline ${base}: cannot compare (${errorMessage(e)})`, command: 'chimeraforge.setBaseline', arguments: [undefined, file], tooltip: 'Choose another baseline TR for this file' }];
  }
}

export class BaselineLensCache {
  private readonly lines = new Map<string, LensLine[]>();

  constructor(private readonly s: Services) {}

  get(file: string): LensLine[] {
    let l = this.lines.get(file);
    if (l === undefined) {
      l = baselineLensLines(this.s, file);
      this.lines.set(file, l);
    }
    return l;
  }

  clear(): void {
    this.lines.clear();
  }
}
