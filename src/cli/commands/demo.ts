// `chimeraforge demo`: two embedded engine instances + the shipped demo experiments, end to end:
// a baseline-vs-chimera report-agent A/B, a two-agent dual-endpoint run and a capacity sweep over both
// endpoints, each a TR directory.
import { cpSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { startEngines, type EngineHandle } from '../../../engine/api';
import { readExperimentFile } from '../../core/experiment/load';
import { applyModelOverride } from '../../core/experiment/modelOverride';
import { normalizeExperiment } from '../../core/experiment/normalize';
import { runExperiment, type RunResult } from '../../core/runner/runExperiment';
import { EXIT } from '../exit';
import { Progress } from '../progress';
import { abortOnSignals } from '../signals';
import { presetsDir } from '../presets';
import { parseEndpointFlags } from './run';
import { demoSummaryLines } from '../demoSummary';
import { reportAfterRun } from './report';

const DEMO_EXPERIMENTS = ['demo-agent-ab.experiment.json', 'demo-dual-agents.experiment.json', 'demo-capacity.experiment.json'];

interface DemoOptions { workspace: string; endpoint: string[]; model?: string }

/** How to re-run one demo experiment: its engines' ports are ephemeral, so with engines it is the demo itself. */
function rerunCommand(file: string, reportsDir: string, workspace: string, withEngines: boolean, endpoints: Record<string, string>, model: string | undefined): string {
  if (withEngines) return `chimeraforge demo --workspace ${workspace}`;
  const flags = Object.entries(endpoints).map(([k, v]) => ` --endpoint ${k}=${v}`).join('') + (model ? ` --model ${model}` : '');
  return `chimeraforge run ${file} --reports-dir ${reportsDir} --workspace ${workspace}${flags}`;
}

async function demo(o: DemoOptions): Promise<void> {
  const workspace = resolve(o.workspace);
  const reportsDir = join(workspace, 'reports');
  const presets = presetsDir();
  mkdirSync(workspace, { recursive: true });
  cpSync(join(presets, 'demo-data'), join(workspace, 'data'), { recursive: true });
  const progress = new Progress();
  const ac = new AbortController();
  const release = abortOnSignals(ac, (sig) => progress.line(`${sig}: cancelling the demo…`));
  let engines: EngineHandle[] = [];
  const results: RunResult[] = [];
  try {
    let endpoints = parseEndpointFlags(o.endpoint);
    if (!endpoints.default) {
      progress.line('starting two embedded engine instances (llama.cpp on CPU, generated tiny model)…');
      engines = await startEngines(2, { mode: 'llama' });
      endpoints = { default: engines[0].url, b: engines[1].url, ...endpoints };
      progress.line(`engines: ${engines.map((e) => e.url).join(', ')}`);
    }
    endpoints.b ??= endpoints.default;
    for (const name of DEMO_EXPERIMENTS) {
      if (ac.signal.aborted) break;
      const file = join(presets, name);
      const x = applyModelOverride(normalizeExperiment(readExperimentFile(file), { sourceFile: file, workspaceDir: workspace, endpointOverrides: endpoints }), o.model);
      results.push(await runExperiment(x, { reportsDir, signal: ac.signal, onEvent: progress.onEvent, command: rerunCommand(file, reportsDir, workspace, engines.length > 0, endpoints, o.model) }));
    }
  } finally {
    release();
    await Promise.all(engines.map((e) => e.stop()));
  }
  for (const r of results) reportAfterRun(r.trDir, reportsDir, (l) => progress.line(l));
  process.stderr.write('\n');
  for (const line of demoSummaryLines(results)) process.stdout.write(`${line}\n`);
  process.stdout.write(`\nworkspace: ${workspace}\nreports:   ${reportsDir}\n`);
  process.exitCode = ac.signal.aborted ? EXIT.interrupted : results.every((r) => r.status === 'complete') ? EXIT.ok : EXIT.runsFailed;
}

export function registerDemoCommand(program: Command): void {
  program.command('demo')
    .description('Start two embedded engines and run the demo experiments end to end (an agent A/B, a two-agent dual-endpoint run and a capacity sweep)')
    .option('--workspace <dir>', 'demo workspace (data is copied in, reports are written under it)', 'chimeraforge-demo')
    .option('--endpoint <name=url>', 'use these endpoints (e.g. a real Ollama: default=http://127.0.0.1:11434) instead of starting engines', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--model <name>', 'model to use with --endpoint (default: the presets\' tiny:latest)')
    .action(demo);
}
