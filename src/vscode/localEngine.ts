// Start/Stop Local Engine: the embedded Ollama-compatible engine for users without Ollama. It ships
// only in a checkout (dist/engine.mjs needs node-llama-cpp from node_modules), not in the .vsix.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { startEngine, type EngineConfig, type EngineHandle } from '../../engine/api';
import { ChimeraError } from '../core/errors';
import type { Logger } from '../core/ports';

/**
 * Context key, true where the engine can start (set on activation): Start/Stop Local Engine appear in the
 * palette only then (package.json menus.commandPalette), so an installed .vsix offers no command that always fails.
 */
export const LOCAL_ENGINE_CONTEXT = 'chimeraforge.localEngineAvailable';

/** Whether the engine can run from this extension folder: its bundle and node-llama-cpp (a checkout, not the .vsix). */
export function localEngineAvailable(extensionPath: string): boolean {
  return existsSync(join(extensionPath, 'dist', 'engine.mjs')) && existsSync(join(extensionPath, 'node_modules', 'node-llama-cpp'));
}

export class LocalEngine implements vscode.Disposable {
  private handle: EngineHandle | undefined;

  constructor(private readonly extensionPath: string, private readonly log: Logger) {}

  get available(): boolean {
    return localEngineAvailable(this.extensionPath);
  }

  get url(): string | undefined {
    return this.handle?.url;
  }

  async start(cfg: EngineConfig = {}): Promise<string> {
    if (this.handle) return this.handle.url;
    // Reached only through executeCommand where the palette hides the command (LOCAL_ENGINE_CONTEXT).
    if (!this.available) {
      throw new ChimeraError('E_NOT_FOUND', 'the local engine is only available in a development install of Chimeraforge', {
        where: join(this.extensionPath, 'dist', 'engine.mjs'), hint: 'install Ollama (https://ollama.com) and set chimeraforge.endpoints, or run the extension from a checkout after npm ci && npm run build',
      });
    }
    this.handle = await startEngine(cfg, { onLog: (l) => this.log.debug(`engine: ${l}`) });
    this.log.info(`local engine listening at ${this.handle.url} (pid ${this.handle.pid}, mode ${cfg.mode ?? 'llama'})`);
    return this.handle.url;
  }

  async stop(): Promise<boolean> {
    const h = this.handle;
    if (!h) return false;
    this.handle = undefined;
    await h.stop();
    this.log.info(`local engine at ${h.url} stopped`);
    return true;
  }

  dispose(): void {
    void this.stop();
  }
}
