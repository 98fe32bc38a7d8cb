// Generated models live in the user cache, keyed by a hash of the generator parameters, written
// atomically (temp file + rename) so concurrent engines never read a half-written file.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { buildModel, MODEL_PRESETS, type ModelSpec } from './model';

/** Bump when the generator's output changes, so old cache files are not reused. */
export const GENERATOR_VERSION = 1;

export interface ModelFile {
  path: string;
  spec: ModelSpec;
  /** sha256 of the file, hex (what /api/tags reports as digest). */
  digest: string;
  size: number;
  /** True when this call wrote the file. */
  created: boolean;
}

export function cacheDir(): string {
  return process.env.CHIMERAFORGE_CACHE_DIR || join(homedir(), '.cache', 'chimeraforge');
}

export function specFor(preset: 'tiny' | 'mid', eosBias: number): ModelSpec {
  return { ...MODEL_PRESETS[preset], eosBias };
}

export function specKey(spec: ModelSpec): string {
  return createHash('sha256').update(JSON.stringify({ generator: GENERATOR_VERSION, ...spec })).digest('hex').slice(0, 16);
}

export function modelPath(spec: ModelSpec, dir = cacheDir()): string {
  return join(dir, 'models', `${spec.name}-${specKey(spec)}.gguf`);
}

/** The model file for a spec: from the cache, or generated now. */
export async function ensureModelFile(spec: ModelSpec, dir = cacheDir()): Promise<ModelFile> {
  const path = modelPath(spec, dir);
  try {
    const bytes = await readFile(path);
    if (bytes.length > 0) return { path, spec, digest: sha256(bytes), size: bytes.length, created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const { bytes } = buildModel(spec);
  await mkdir(join(dir, 'models'), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
  return { path, spec, digest: sha256(bytes), size: bytes.length, created: true };
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
