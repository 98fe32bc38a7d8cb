// Two `chimeraforge run` processes writing to one reports directory at the same moment: never the same
// TR id, never each other's files. Several rounds, so later rounds race for numbers above existing TRs.
import { outputText } from '../../helpers/outputs';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineHandle } from '../../../engine/api';
import { makeWorkspace } from '../../helpers/workspace';
import { EnginePool } from '../ollama/engineHarness';
import { cli, ensureCliBuilt, readTr, writeExperiment } from './helpers';

const ROUNDS = 3;
const REPS = 3;

describe('fault matrix: concurrent runs into one reports directory', function () {
  this.timeout(150_000);
  const pool = new EnginePool();
  let engine: EngineHandle;

  before(async () => {
    ensureCliBuilt();
    // Two slots: both processes' calls run at once, so their appends and meta.json writes interleave.
    engine = await pool.start({ mode: 'paced', parallel: 2, paced: { ttftMs: 10, tokensPerSec: 200, tokens: 8 } });
  });
  after(() => pool.stopAll());

  it(`${ROUNDS} rounds of two simultaneous runs: distinct ids, each TR holds only its own runs`, async () => {
    const ws = makeWorkspace(false);
    const files = ['A', 'B'].map((who) => writeExperiment(ws.dir, `${who}.experiment.json`, {
      // promptCache warm: the paced text derives from the prompt as written, which tells the writers' runs apart.
      title: `writer ${who}`, kind: 'prompt', model: 'tiny:latest', prompts: [`prompt of ${who}`], repetitions: REPS, warmup: 0, promptCache: 'warm',
    }));
    const owner = new Map<string, string>();
    for (let round = 1; round <= ROUNDS; round++) {
      const results = await Promise.all(files.map((f) => cli(['run', f, '--endpoint', `default=${engine.url}`, '--json'], ws.dir)));
      const ids = results.map((r) => {
        assert.equal(r.code, 0, r.stderr);
        return (JSON.parse(r.stdout) as { trId: string }).trId;
      });
      assert.notEqual(ids[0], ids[1], `round ${round}: both took ${ids[0]}`);
      ids.forEach((id, i) => {
        assert.ok(!owner.has(id), `${id} given twice`);
        owner.set(id, ['A', 'B'][i]);
      });
    }
    const texts: Record<string, Set<string>> = { A: new Set(), B: new Set() };
    // Ids are the first free numbers, and every TR holds exactly its writer's runs, intact.
    assert.deepEqual([...owner.keys()].sort((a, b) => Number(a.slice(2)) - Number(b.slice(2))), Array.from({ length: ROUNDS * 2 }, (_, i) => `TR${i + 1}`));
    for (const [id, who] of owner) {
      const { meta, runs, lines } = readTr(join(ws.reportsDir, id));
      assert.equal(meta.id, id);
      assert.equal(meta.title, `writer ${who}`);
      assert.equal(meta.status, 'complete');
      assert.deepEqual([meta.counts.planned, meta.counts.completed, meta.counts.failed], [REPS, REPS, 0]);
      assert.equal(lines, REPS);
      assert.equal((meta.experiment.prompts as string[])[0], `prompt of ${who}`);
      // The paced text derives from the prompt: a run of the other writer in this file would show.
      for (const r of runs) {
        assert.equal(r.status, 'ok');
        texts[who].add(outputText(join(ws.reportsDir, id), r.calls[0].outputFile) ?? 'missing');
      }
    }
    // The index each run regenerates at its end lists every TR (both TR dirs exist before either run ends;
    // the status shown may lag when two runs regenerate it at the same instant, so it is not asserted).
    const index = readFileSync(join(ws.reportsDir, 'README.md'), 'utf8');
    for (const id of owner.keys()) {
      assert.match(index, new RegExp(`^\\| \\[${id}\\]\\(Technical_Report_${id.slice(2)}\\.md\\) \\| writer [AB] \\| [a-z]+ \\|`, 'm'));
      assert.ok(existsSync(join(ws.reportsDir, `Technical_Report_${id.slice(2)}.md`)));
    }
    assert.equal(texts.A.size, 1);
    assert.equal(texts.B.size, 1);
    assert.notDeepEqual([...texts.A], [...texts.B]);
  });

  it('two runs asking for the same --tr at once: exactly one gets it, the other exits 2, files intact', async () => {
    const ws = makeWorkspace(false);
    const files = ['A', 'B'].map((who) => writeExperiment(ws.dir, `${who}.experiment.json`, {
      title: `writer ${who}`, kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: REPS, warmup: 0,
    }));
    const results = await Promise.all(files.map((f) => cli(['run', f, '--endpoint', `default=${engine.url}`, '--tr', 'TR50', '--json'], ws.dir)));
    const codes = results.map((r) => r.code).sort();
    assert.deepEqual(codes, [0, 2], results.map((r) => r.stderr).join('\n'));
    const winner = results.findIndex((r) => r.code === 0);
    assert.match(results[1 - winner].stderr, /TR50 already exists in /);
    const { meta, lines } = readTr(join(ws.reportsDir, 'TR50'));
    assert.deepEqual([meta.title, meta.status, lines], [`writer ${['A', 'B'][winner]}`, 'complete', REPS]);
  });
});
