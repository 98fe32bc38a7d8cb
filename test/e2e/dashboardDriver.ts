// Extension-host side of the dashboard screenshots (bundled and loaded by dashboardShots.ts through
// the workbench payload): opens each view through the extension's API, waits until the webview
// reports it drew, then hands over to the browser side for the screenshot (marker files).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { normalizeExperiment } from '../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../src/core/experiment/types';
import { runExperiment } from '../../src/core/runner/runExperiment';
import type { RenderedMessage } from '../../src/shared/protocol';
import type { ChimeraforgeApi } from '../../src/vscode/api';

export interface ShotPlan {
  reportsDir: string;
  workspace: string;
  trSweep: string;
  trMulti: string;
  compare: { a: { trId: string; variant: string }; b: { trId: string; variant: string } };
  live: ExperimentFile;
}

const dir = process.env.CHIMERAFORGE_SHOTS_DIR ?? '';

async function waitFile(file: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`no ${file} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Tells the browser side what was drawn and waits for its screenshot. */
async function shot(name: string, m: RenderedMessage): Promise<void> {
  writeFileSync(join(dir, `ready-${name}.json`), JSON.stringify(m));
  await waitFile(join(dir, `shot-${name}`), 120_000);
}

export async function run(): Promise<void> {
  const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as ShotPlan;
  const ext = vscode.extensions.getExtension<ChimeraforgeApi>('chimeraforge.chimeraforge');
  if (!ext) throw new Error('extension not loaded');
  const api = await ext.activate();
  if (existsSync(join(dir, 'done'))) {
    // Second start, after the browser reloaded the window: the serializer revived the panel from its saved state.
    const deadline = Date.now() + 60_000;
    while (!api.dashboard.current() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const revived = api.dashboard.current();
    if (!revived) throw new Error('no dashboard panel after the reload: the serializer did not revive it');
    await shot('revived', await revived.whenRendered((r) => r.view === 'tr', 60_000));
    return;
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
  await vscode.commands.executeCommand('workbench.action.closePanel');
  const trView = async (trId: string, name: string): Promise<void> => {
    const p = api.dashboard.show({ kind: 'tr', trId, reportsDir: plan.reportsDir });
    await shot(name, await p.whenRendered((r) => r.view === 'tr' && r.trIds[0] === trId, 60_000));
  };
  await trView(plan.trSweep, 'tr-sweep');
  await trView(plan.trMulti, 'tr-multi');
  const cmp = api.dashboard.show({ kind: 'compare', a: plan.compare.a, b: plan.compare.b, reportsDir: plan.reportsDir });
  await shot('compare', await cmp.whenRendered((r) => r.view === 'compare', 60_000));

  const live = api.dashboard.show({ kind: 'live' });
  await live.whenRendered((r) => r.view === 'live');
  let midShot: Promise<void> | null = null;
  const x = normalizeExperiment(plan.live, { workspaceDir: plan.workspace });
  const result = await runExperiment(x, {
    reportsDir: plan.reportsDir,
    onEvent: (e) => {
      live.postRunnerEvent(e);
      if (e.type === 'run-finished' && e.done === Math.ceil(e.planned / 2) && !midShot) {
        midShot = live.whenRendered((r) => r.view === 'live' && (r.progress?.done ?? 0) >= e.done).then((m) => shot('live-running', m));
      }
    },
  });
  if (midShot) await midShot;
  await shot('live-finished', await live.whenRendered((r) => r.view === 'live' && r.progress?.status === 'complete' && r.summaryRows > 0, 60_000));
  // The browser side clicked "Open the full results": the same panel shows the run's TR from disk.
  await shot('live-opened-tr', await live.whenRendered((r) => r.view === 'tr' && r.trIds[0] === result.trId, 60_000));

  // The same TR in the other theme: colours come from the theme variables and follow the switch.
  await trView(plan.trMulti, 'tr-multi-before-theme');
  const before = api.dashboard.current()!.lastRendered;
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
  await shot('tr-multi-dark', await api.dashboard.current()!.whenRendered((r) => r !== before && r.view === 'tr', 30_000));
  writeFileSync(join(dir, 'done'), '');
  // Reload the window as a person would (Developer: Reload Window): the workbench saves its state first.
  // This host ends with the reload; the suite's result comes from the second start.
  await vscode.commands.executeCommand('workbench.action.reloadWindow');
  await new Promise(() => {});
}
