// Shared by the experience suites (commands, explorer): the loaded extension's API, an engine started
// by the test (paced mode), settings pointed at it, experiment files in the test workspace, polling.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { startEngine, type EngineConfig, type EngineHandle } from '../../engine/api';
import type { ChimeraforgeApi } from '../../src/vscode/api';

export const ROOT = resolve(__dirname, '..', '..', '..');

export async function api(): Promise<ChimeraforgeApi> {
  const ext = vscode.extensions.getExtension<ChimeraforgeApi>('chimeraforge.chimeraforge');
  assert.ok(ext, 'extension not loaded');
  return ext.activate();
}

/** A real engine for the suite (engine/api.ts finds dist/engine.mjs from the test bundle's folder). */
export function engine(cfg: EngineConfig): Promise<EngineHandle> {
  return startEngine(cfg);
}

export function workspaceDir(): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(root, 'no workspace folder');
  return root;
}

const SETTINGS = ['endpoints', 'defaultModel', 'reportsDir', 'defaultRepetitions', 'defaultWarmup'] as const;

/** Points the extension's settings at `url` with its own reports folder; waits until the extension has read them. */
export async function useSettings(a: ChimeraforgeApi, values: { endpoints: Record<string, string>; reportsDir: string; defaultModel?: string }): Promise<void> {
  const section = vscode.workspace.getConfiguration('chimeraforge');
  await section.update('endpoints', values.endpoints, vscode.ConfigurationTarget.Global);
  await section.update('defaultModel', values.defaultModel ?? 'tiny:latest', vscode.ConfigurationTarget.Global);
  await section.update('reportsDir', values.reportsDir, vscode.ConfigurationTarget.Global);
  await eventually('settings read', () => (a.config().reportsDir === values.reportsDir && a.config().endpoints.default === values.endpoints.default ? true : undefined));
}

export async function resetSettings(): Promise<void> {
  const section = vscode.workspace.getConfiguration('chimeraforge');
  for (const k of SETTINGS) await section.update(k, undefined, vscode.ConfigurationTarget.Global);
}

/** Writes an experiment file into the workspace and returns its path. */
export function experimentFile(name: string, body: unknown): string {
  const dir = join(workspaceDir(), 'experiments');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.experiment.json`);
  writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  return file;
}

/** A small prompt experiment (no endpoints or model: the settings fill them in). */
export function promptExperiment(title: string, variants: string[], repetitions: number, warmup = 1): Record<string, unknown> {
  return {
    title, kind: 'prompt', prompts: ['Why is the sky blue?', 'Name three prime numbers.'], repetitions, warmup,
    variants: variants.map((name, i) => ({ name, options: { temperature: 0.2 + i * 0.3 } })),
  };
}

/** Polls until `probe` returns a value (not undefined) or fails after `ms`. */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function logText(): string {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.uri.path.endsWith('chimeraforge.chimeraforge.Chimeraforge'));
  return doc?.getText() ?? '';
}

/** The log channel's text once it contains `pattern` (the channel is shown so its document exists). */
export async function logMatching(pattern: RegExp): Promise<string> {
  await vscode.commands.executeCommand('chimeraforge.showLog');
  return eventually(`log line ${pattern}`, () => (pattern.test(logText()) ? logText() : undefined));
}
