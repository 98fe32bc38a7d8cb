// Baselines per experiment file (setting chimeraforge.baselines) and "Compare with Baseline…": the gate's
// decision of a TR against the baseline of the file it was run from, shown in the compare view.
import { relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import { ChimeraError } from '../core/errors';
import { parseGroupRef, pickVariant, readTrGroups, type GroupRef } from '../core/report/compareTrs';
import { gateTrs } from '../core/report/gateTrs';
import type { GateResult } from '../core/report/gateTypes';
import { readMeta } from '../core/store/read';
import { CONFIG_SECTION } from './config';
import { resolveTr, trOfArgument } from './pickers';
import { lastResultOf } from './runCommands';
import { experimentFileOfCommand } from './runSetup';
import type { CommandServices } from './services';

type Services = Pick<CommandServices, 'workspaceDir' | 'reportsDir' | 'config'>;

/** The settings key of an experiment file: its path relative to the workspace folder, with forward slashes. */
export function baselineKey(s: Pick<CommandServices, 'workspaceDir'>, file: string): string {
  const ws = s.workspaceDir() ?? process.cwd();
  return relative(ws, resolve(ws, file)).split('\\').join('/');
}

/** The experiment file a TR was run from (absolute), or null when its meta.json does not say (imported TRs). */
export function experimentFileOfTr(s: Services, trDir: string): string | null {
  const f = experimentFileOfCommand(readMeta(trDir).command);
  return f === null ? null : resolve(s.workspaceDir() ?? process.cwd(), f);
}

export function baselineOf(s: Services, file: string): string | undefined {
  return s.config().baselines[baselineKey(s, file)];
}

/** Where a TR id or "TR:variant" argument points; tree items and URIs through the usual pickers. */
function groupOf(arg: unknown, reportsDir: string): GroupRef | undefined {
  if (typeof arg === 'string' && arg.includes(':')) return parseGroupRef(arg);
  const ref = trOfArgument(arg, reportsDir);
  return ref ? { tr: ref.id } : undefined;
}

/** Writes TR as the baseline of an experiment file (workspace settings when a folder is open). */
export async function setBaseline(s: CommandServices, trArg?: unknown, fileArg?: unknown): Promise<{ file: string; trId: string } | undefined> {
  let file = fileArg instanceof vscode.Uri ? fileArg.fsPath : typeof fileArg === 'string' ? resolve(s.workspaceDir() ?? process.cwd(), fileArg) : undefined;
  const finished = (t: { status: string; error?: string }): boolean => t.error === undefined && t.status !== 'running';
  const tr = await resolveTr(trArg, s.reportsDir(), file ? `Baseline TR of ${baselineKey(s, file)}` : 'TR to use as its experiment\'s baseline', finished);
  if (!tr) return undefined;
  file ??= experimentFileOfTr(s, tr.dir) ?? undefined;
  if (!file) {
    throw new ChimeraError('E_NOT_FOUND', `${tr.id} does not record the experiment file it was run from`, {
      where: tr.dir, hint: 'run "Set as Baseline of Its Experiment…" from the CodeLens above the experiment file, or edit chimeraforge.baselines',
    });
  }
  const key = baselineKey(s, file);
  const target = s.workspaceDir() ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(CONFIG_SECTION).update('baselines', { ...s.config().baselines, [key]: tr.id }, target);
  s.log.info(`baseline of ${key}: ${tr.id}`);
  return { file: key, trId: tr.id };
}

/** The variant pair to show: the only variants, a named one, the same name on both sides, or one the user picks. */
async function pairVariants(s: CommandServices, base: GroupRef, next: GroupRef): Promise<[GroupRef, GroupRef] | undefined> {
  if (next.variant !== undefined) return [{ tr: base.tr, variant: base.variant ?? next.variant }, next];
  const b = readTrGroups(s.reportsDir(), base.tr);
  const n = readTrGroups(s.reportsDir(), next.tr);
  if (b.counted.length === 1 && n.counted.length === 1) return [{ tr: base.tr, variant: b.counted[0] }, { tr: next.tr, variant: n.counted[0] }];
  const shared = n.counted.filter((v) => b.counted.includes(v));
  if (shared.length === 0) pickVariant(n, undefined); // throws: which variant is meant
  const v = shared.length === 1 ? shared[0] : await vscode.window.showQuickPick(shared, { placeHolder: `Variant of ${next.tr} to gate against ${base.tr}` });
  return v ? [{ tr: base.tr, variant: v }, { tr: next.tr, variant: v }] : undefined;
}

/**
 * Gates a TR (the argument, else the user picks) against the baseline of its experiment file — or
 * against `baselineArg` — and shows the decision in the compare view. Returns the decision.
 */
export async function compareWithBaseline(s: CommandServices, trArg?: unknown, baselineArg?: unknown): Promise<GateResult | undefined> {
  const reportsDir = s.reportsDir();
  let next = groupOf(trArg, reportsDir);
  if (!next) {
    const ref = await resolveTr(undefined, reportsDir, 'TR to compare with its baseline', (t) => t.error === undefined && t.status !== 'running');
    if (!ref) return undefined;
    next = { tr: ref.id };
  }
  let base = groupOf(baselineArg, reportsDir);
  if (!base) {
    const file = experimentFileOfTr(s, trOfArgument(next.tr, reportsDir)!.dir);
    const id = file ? baselineOf(s, file) : undefined;
    if (!id) {
      const where = file ? baselineKey(s, file) : next.tr;
      const set = await setBaselineFor(s, file, next.tr, where);
      if (!set) return undefined;
      base = { tr: set };
    } else base = { tr: id };
  }
  const pair = await pairVariants(s, base, next);
  if (!pair) return undefined;
  const [b, n] = pair;
  const { gateMetric: metric, gateMaxRegressionPct: maxRegressionPct } = s.config();
  const result = gateTrs(reportsDir, b, n, { metric, maxRegressionPct });
  s.log.info(`gate ${n.tr}:${n.variant} vs baseline ${b.tr}:${b.variant}: ${result.sentence}`);
  s.dashboard.show({ kind: 'compare', a: { trId: b.tr, variant: b.variant }, b: { trId: n.tr, variant: n.variant }, metric, reportsDir, gate: { maxRegressionPct } });
  return result;
}

/** No baseline yet: the user picks one among the other finished TRs and it is saved for the file. */
async function setBaselineFor(s: CommandServices, file: string | null, trId: string, where: string): Promise<string | undefined> {
  const others = (t: { id: string; status: string; error?: string }): boolean => t.error === undefined && t.status !== 'running' && t.id !== trId;
  const picked = await resolveTr(undefined, s.reportsDir(), `No baseline is set for ${where}: choose one (it is saved in chimeraforge.baselines)`, others);
  if (!picked) return undefined;
  if (file) await setBaseline(s, picked.id, file);
  return picked.id;
}

/** The newest finished TR of an experiment file (what its CodeLens gates against the baseline). */
export function newestResultOf(s: Services, file: string): string | undefined {
  return lastResultOf(s, file, (t) => t.status !== 'running');
}
