// Locating the shipped presets (experiment templates and demo data) from the bundle or from source.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ChimeraError } from '../core/errors';

export function presetsDir(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [join(here, '..', 'presets'), join(here, '..', '..', 'presets'), resolve('presets')];
  const found = candidates.find((p) => existsSync(join(p, 'demo-data')));
  if (!found) throw new ChimeraError('E_NOT_FOUND', 'the presets folder is missing', { where: candidates.join(', '), hint: 'run from a checkout of chimeraforge (presets/ beside dist/)' });
  return found;
}
