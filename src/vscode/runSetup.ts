// An experiment file made ready to run with the extension's settings: the file's own values win;
// settings fill in what it leaves out (model, repetitions, warm-ups, endpoint URLs by name).
// No vscode import: unit-tested in plain Node.
import { relative, isAbsolute } from 'node:path';
import { readExperimentFile } from '../core/experiment/load';
import { runCommandLine } from '../core/experiment/commandLine';
import { applyModelOverride } from '../core/experiment/modelOverride';
import { normalizeExperiment } from '../core/experiment/normalize';
import type { NormalizedExperiment } from '../core/experiment/types';
import { remoteEndpoints } from '../core/trust/endpoints';
import type { ChimeraforgeConfig } from './config';

export type RunSettings = Pick<ChimeraforgeConfig, 'endpoints' | 'defaultModel' | 'defaultRepetitions' | 'defaultWarmup'>;

/** Reads, validates (throws ChimeraError naming the file and every JSON path) and normalizes; `model`
 *  (the palette's model pick) replaces every model the file names (experiment/modelOverride.ts). */
export function prepareExperiment(file: string, settings: RunSettings, workspaceDir: string, model?: string, trusted = true): NormalizedExperiment {
  const x = readExperimentFile(file);
  return applyModelOverride(normalizeExperiment({
    ...x,
    model: x.model ?? settings.defaultModel,
    repetitions: x.repetitions ?? settings.defaultRepetitions,
    warmup: x.warmup ?? settings.defaultWarmup,
    endpoints: { ...settings.endpoints, ...(x.endpoints ?? {}) },
  }, { sourceFile: file, workspaceDir, trusted }), model, 'the model picked for Run Experiment');
}

/**
 * Endpoints an untrusted workspace's experiment file points away from this machine: they need the user's
 * consent before any prompt is sent. Endpoints from settings are not listed: in an untrusted workspace VS
 * Code reads chimeraforge.endpoints from user settings only (package.json restrictedConfigurations).
 */
export function endpointsNeedingConsent(file: string, x: NormalizedExperiment, trusted: boolean): { name: string; url: string }[] {
  if (trusted) return [];
  const named = Object.keys(readExperimentFile(file).endpoints ?? {});
  return remoteEndpoints(Object.fromEntries(named.map((n) => [n, x.endpoints[n]])));
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
