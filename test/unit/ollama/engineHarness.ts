// Starts real engine processes (engine/api.ts) for the gateway tests and always stops them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, startEngines, type EngineConfig, type EngineHandle } from '../../../engine/api';
import { createGatewayClient, type GatewayClient } from '../../../src/core/ollama/client';

const root = join(__dirname, '..', '..', '..');

/** The engine runs from dist/engine.mjs: build once when it is missing. */
export function ensureEngineBuilt(): void {
  if (existsSync(join(root, 'dist', 'engine.mjs'))) return;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit', timeout: 120_000 });
}

/** Engines started by a suite; `stopAll` in an after hook kills every one of them. */
export class EnginePool {
  private readonly handles: EngineHandle[] = [];

  async start(cfg: EngineConfig): Promise<EngineHandle> {
    ensureEngineBuilt();
    const h = await startEngine(cfg);
    this.handles.push(h);
    return h;
  }

  async startMany(n: number, cfg: EngineConfig): Promise<EngineHandle[]> {
    ensureEngineBuilt();
    const hs = await startEngines(n, cfg);
    this.handles.push(...hs);
    return hs;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.handles.splice(0).map((h) => h.stop()));
  }
}

export function clientFor(h: EngineHandle, name = 'default'): GatewayClient {
  return createGatewayClient({ url: h.url, name });
}

/** Median of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
