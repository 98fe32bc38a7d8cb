// Experiment templates ("New from template…"): the presets/tr*.experiment.json files shipped with the
// extension, instantiated with the user's default model and endpoint URLs. No vscode import.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ChimeraError } from '../core/errors';
import { parseExperiment } from '../core/experiment/load';
import type { EndpointEntry } from '../core/experiment/types';
import type { RunSettings } from './runSetup';

export interface Template {
  /** File name in presets/, e.g. tr109-agent-ab.experiment.json. */
  readonly file: string;
  readonly path: string;
  readonly title: string;
  readonly description: string;
  readonly kind: string;
}

/** Templates are the presets named tr*.experiment.json (the demo-* presets belong to `chimeraforge demo`). */
export function listTemplates(presetsDir: string): Template[] {
  if (!existsSync(presetsDir)) {
    throw new ChimeraError('E_NOT_FOUND', 'the experiment templates are missing', { where: presetsDir, hint: 'reinstall the Chimeraforge extension' });
  }
  return readdirSync(presetsDir)
    .filter((f) => /^tr\d.*\.experiment\.json$/.test(f))
    .sort()
    .map((file) => {
      const path = join(presetsDir, file);
      const x = parseExperiment(readFileSync(path, 'utf8'), path);
      return { file, path, title: x.title, description: x.description ?? '', kind: x.kind };
    });
}

/**
 * The template's text for the workspace: the default model replaces the template's, each endpoint
 * named in the settings takes the settings' URL, and the `$schema` path (relative to presets/) goes,
 * since the editor validates *.experiment.json through the contributed schema anyway.
 */
export function instantiateTemplate(text: string, source: string, settings: Pick<RunSettings, 'defaultModel' | 'endpoints'>): string {
  const x = parseExperiment(text, source) as unknown as Record<string, unknown>;
  const { $schema: _schema, ...rest } = x;
  const out: Record<string, unknown> = { ...rest };
  if (typeof out.model === 'string') out.model = settings.defaultModel;
  const endpoints = out.endpoints as Record<string, EndpointEntry> | undefined;
  if (endpoints) {
    // A managed endpoint ({ url, server }) stays as written: its URL is where the harness starts its server.
    out.endpoints = Object.fromEntries(Object.entries(endpoints).map(([name, e]) => [name, typeof e === 'string' ? (settings.endpoints[name] ?? e) : e]));
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** `name.experiment.json`, or `name-2.experiment.json`, … — the first one `exists` says is free. */
export function freeFileName(file: string, exists: (name: string) => boolean): string {
  if (!exists(file)) return file;
  const stem = basename(file, '.experiment.json');
  for (let i = 2; ; i++) {
    const candidate = `${stem}-${i}.experiment.json`;
    if (!exists(candidate)) return candidate;
  }
}
