// Throwaway workspace folders for the extension-host and browser tests.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { onCleanup } from './cleanup';

export interface TempWorkspace {
  readonly path: string;
  dispose(): Promise<void>;
}

/**
 * A fresh folder under the OS temp dir, optionally filled with a copy of `fixture` (a folder, e.g.
 * test/fixtures/<name>). Removed on dispose or at process exit unless CHIMERAFORGE_KEEP_TMP=1.
 */
export function makeWorkspace(opts: { fixture?: string; prefix?: string } = {}): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), opts.prefix ?? 'chimeraforge-ws-'));
  const path = join(root, 'workspace');
  if (opts.fixture) {
    const src = resolve(opts.fixture);
    if (!existsSync(src) || !statSync(src).isDirectory()) throw new Error(`workspace fixture is not a folder: ${src}`);
    cpSync(src, path, { recursive: true });
  } else {
    mkdirSync(path);
  }
  const remove = (): void => {
    if (process.env.CHIMERAFORGE_KEEP_TMP !== '1') rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
  const dispose = onCleanup(`workspace ${path}`, { sync: remove });
  return { path, dispose };
}

/** A temp dir that goes away with the process (server state, browser profile). */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(`temp ${dir}`, {
    sync: () => {
      if (process.env.CHIMERAFORGE_KEEP_TMP !== '1') rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  });
  return dir;
}
