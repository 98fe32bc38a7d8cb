// `chimeraforge run <experiment.json>`: validate, preflight, run, write the TR directory (and its report).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ChimeraError } from '../../core/errors';
import { readExperimentFile } from '../../core/experiment/load';
import { runCommandLine } from '../../core/experiment/commandLine';
import { applyModelOverride } from '../../core/experiment/modelOverride';
import { normalizeExperiment } from '../../core/experiment/normalize';
import { runExperiment, type RunResult } from '../../core/runner/runExperiment';
import { EXIT } from '../exit';
import { Progress } from '../progress';
import { abortOnSignals } from '../signals';
import { reportAfterRun } from './report';

interface RunCliOptions { reportsDir: string; tr?: string; endpoint: string[]; model?: string; json?: boolean; workspace?: string; gpuSampling: boolean }

/** --endpoint NAME=URL (repeatable). */
export function parseEndpointFlags(flags: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of flags) {
    const i = f.indexOf('=');
    if (i <= 0 || i === f.length - 1) throw new ChimeraError('E_BAD_INPUT', `--endpoint needs NAME=URL, got "${f}"`, { where: '--endpoint', hint: 'e.g. --endpoint default=http://127.0.0.1:11434' });
    out[f.slice(0, i)] = f.slice(i + 1);
  }
  return out;
}

export function exitCodeOfStatus(status: RunResult['status']): number {
  return status === 'complete' ? EXIT.ok : status === 'cancelled' ? EXIT.interrupted : EXIT.runsFailed;
}

export function commandLine(file: string, o: RunCliOptions): string {
  return runCommandLine({ file, reportsDir: o.reportsDir, endpoints: o.endpoint, ...(o.model !== undefined ? { model: o.model } : {}) });
}

async function run(file: string, o: RunCliOptions): Promise<void> {
  const experiment = readExperimentFile(file);
  const workspaceDir = resolve(o.workspace ?? process.cwd());
  const x = applyModelOverride(normalizeExperiment(experiment, { sourceFile: file, workspaceDir, endpointOverrides: parseEndpointFlags(o.endpoint) }), o.model);
  const progress = new Progress();
  const ac = new AbortController();
  const release = abortOnSignals(ac, (sig) => progress.line(`${sig}: cancelling — finishing the TR directory as cancelled…`));
  // The handlers stay until the command ends: a second signal while the TR is being finished exits at once.
  try {
    const result = await runExperiment(x, {
      reportsDir: resolve(o.reportsDir), ...(o.tr ? { tr: o.tr } : {}), signal: ac.signal, onEvent: progress.onEvent,
      command: commandLine(file, o), trusted: true, gpuSampling: o.gpuSampling,
    });
    finishRun(result, o, progress);
  } finally {
    release();
  }
}

function finishRun(result: RunResult, o: RunCliOptions, progress: Progress): void {
  progress.line(`results: ${result.trDir}`);
  const reportFile = reportAfterRun(result.trDir, resolve(o.reportsDir), (l) => progress.line(l));
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ trId: result.trId, trDir: result.trDir, status: result.status, reportFile, counts: result.meta.counts, summary: result.meta.summary })}\n`);
  }
  process.exitCode = exitCodeOfStatus(result.status);
}

export function registerRunCommand(program: Command): void {
  program.command('run')
    .description('Run an experiment file and write a TR directory (meta.json, runs.jsonl, summary.csv, report)')
    .argument('<experiment>', 'the experiment file (*.experiment.json)')
    .option('--reports-dir <dir>', 'where TR directories are written', 'reports')
    .option('--tr <id>', 'TR id to write (default: the experiment\'s "tr", else the next free number)')
    .option('--endpoint <name=url>', 'override or add an endpoint (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--model <name>', 'run every call on this model (the experiment\'s, each variant\'s and each agent\'s model are replaced; recorded in meta.json)')
    .option('--workspace <dir>', 'folder the workflow inputs are relative to (default: the current directory)')
    .option('--json', 'print one JSON result object on stdout')
    .option('--no-gpu-sampling', 'do not sample nvidia-smi during runs nor /api/ps after each run')
    .action(run);
}
