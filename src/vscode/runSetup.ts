// An experiment file made ready to run with the extension's settings: the file's own values win;
// settings fill in what it leaves out (model, repetitions, warm-ups, endpoint URLs by name).
// No vscode import: unit-tested in plain Node.
import { relative, isAbsolute } from 'node:path';
import { readExperimentFile } from '../core/experiment/load';
import { runCommandLine } from '../core/experiment/commandLine';
import { applyModelOverride } from '../core/experiment/modelOverride';
import { normalizeExperiment } from '../core/experiment/normalize';
import type { NormalizedExperiment } from '../core/experiment/types';
import type { ChimeraforgeConfig } from './config';

export type RunSettings = Pick<ChimeraforgeConfig, 'endpoints' | 'defaultModel' | 'defaultRepetitions' | 'defaultWarmup'>;

/** Reads, validates (throws ChimeraError naming the file and every JSON path) and normalizes; `model`
 *  (the palette's model pick) replaces every model the file names (experiment/modelOverride.ts). */
export function prepareExperiment(file: string, settings: RunSettings, workspaceDir: string, model?: string): NormalizedExperiment {
  const x = readExperimentFile(file);
  return applyModelOverride(normalizeExperiment({
    ...x,
    model: x.model ?? settings.defaultModel,
    repetitions: x.repetitions ?? settings.defaultRepetitions,
    warmup: x.warmup ?? settings.defaultWarmup,
    endpoints: { ...settings.endpoints, ...(x.endpoints ?? {}) },
  }, { sourceFile: file, workspaceDir }), model, 'the model picked for Run Experiment');
}

/** The CLI command that re-runs the experiment the same way (for the report's reproducibility section). */
export function cliCommand(file: string, workspaceDir: string, reportsDir: string, endpoints: Readonly<Record<string, string>>, model?: string): string {
  const rel = (p: string): string => {
    const r = relative(workspaceDir, p);
    return r && !r.startsWith('..') && !isAbsolute(r) ? r : p;
  };
  return runCommandLine({
    file: rel(file), reportsDir: rel(reportsDir), endpoints: Object.entries(endpoints).map(([name, url]) => `${name}=${url}`),
    ...(model !== undefined ? { model } : {}),
  });
}

/** The experiment file a TR was run from, read back from its recorded command (`chimeraforge run <file> …`). */
export function experimentFileOfCommand(command: string | undefined): string | null {
  if (!command) return null;
  const m = /^chimeraforge run ("(?:[^"\\]|\\.)*"|\S+)/.exec(command);
  if (!m) return null;
  return m[1].startsWith('"') ? (JSON.parse(m[1]) as string) : m[1];
}
