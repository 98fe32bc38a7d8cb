import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chooseCandidate, detectLayouts } from '../../../src/core/import/detect';
import { planImport } from '../../../src/core/import/importer';
import { ChimeraError } from '../../../src/core/errors';
import { ROOTS, workspace } from './helpers';

describe('import: layout detection', () => {
  const { data } = workspace();

  const cases: [string, string][] = [
    [ROOTS.rustMulti, 'rust-multi'],
    [ROOTS.runtimeMatrix, 'runtime-matrix'],
    [ROOTS.rustSingle, 'rust-single'],
    [ROOTS.pythonSweep, 'python-sweep'],
    [ROOTS.pythonMulti, 'python-multi'],
    [ROOTS.tr108, 'tr108-csv'],
  ];
  for (const [rel, layout] of cases) {
    it(`detects ${layout} in ${rel} (auto, one candidate at that folder)`, () => {
      const found = detectLayouts(join(data, rel));
      assert.deepEqual(found.map((c) => [c.layout, c.root]), [[layout, join(data, rel)]]);
      assert.equal(chooseCandidate(join(data, rel), found, 'auto').layout, layout);
    });
  }

  it('finds every layout under the data root and asks which one (E_BAD_INPUT lists all six)', () => {
    const found = detectLayouts(data);
    assert.deepEqual(found.map((c) => c.layout).sort(), ['python-multi', 'python-sweep', 'runtime-matrix', 'rust-multi', 'rust-single', 'tr108-csv']);
    assert.throws(() => chooseCandidate(data, found, 'auto'), (e: unknown) => {
      assert.ok(e instanceof ChimeraError && e.code === 'E_BAD_INPUT');
      assert.equal(e.details?.length, 6);
      assert.ok(e.details!.some((d) => d.startsWith('rust-multi') && d.includes(ROOTS.rustMulti)));
      assert.match(e.hint ?? '', /--layout/);
      return true;
    });
  });

  it('--layout picks the one candidate of that layout under the root', () => {
    const c = chooseCandidate(data, detectLayouts(data), 'runtime-matrix');
    assert.equal(c.root, join(data, ROOTS.runtimeMatrix));
  });

  it('rejects an unknown layout name and a folder with no known layout', () => {
    assert.throws(() => chooseCandidate(data, [], 'rust-multi-x' as never), (e: unknown) => e instanceof ChimeraError && e.code === 'E_BAD_INPUT' && e.where === '--layout');
    const empty = join(data, ROOTS.rustSingle, 'gpu80_ctx256_temp0p6');
    assert.throws(() => planImport(empty), (e: unknown) => e instanceof ChimeraError && e.code === 'E_BAD_INPUT');
    assert.throws(() => planImport(join(data, 'nope')), (e: unknown) => e instanceof ChimeraError && e.code === 'E_NOT_FOUND');
  });

  it('a forced layout that finds no runs fails before anything is written, naming what it skipped', () => {
    assert.throws(() => planImport(join(data, ROOTS.pythonSweep), 'rust-multi'), (e: unknown) => {
      assert.ok(e instanceof ChimeraError && e.code === 'E_BAD_INPUT');
      assert.ok((e.details ?? []).some((d) => d.includes('not a scenario folder')));
      return true;
    });
  });
});
