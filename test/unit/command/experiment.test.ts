// A TR112-style "implementation A vs B" experiment end to end: the runner, the command kind, the TR
// directory and its summary, with the two example agents against the real engine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { isChimeraError } from '../../../src/core/errors';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import type { RunRecord } from '../../../src/core/types';
import { PYTHON, tmp, writeSampleData } from './helpers';

const AGENTS = resolve(__dirname, '../../../examples/agents');
const args = ['--data', 'data', '--out', '${run_dir}', '--base-url', '${endpoint}', '--model', '${model}', '--options', '${options_json}'];

describe('command experiment: node agent vs python agent', function () {
  this.timeout(180_000);
  let engine: EngineHandle;
  let ws: string;
  let file: ExperimentFile;

  before(async () => {
    engine = await startEngine({ mode: 'llama' });
    ws = tmp('cmd-exp');
    writeSampleData(ws);
    file = {
      title: 'Node vs Python report agent', kind: 'command', model: 'tiny:latest', endpoints: { default: engine.url },
      maxTokens: 16, repetitions: 2, warmup: 1,
      implementations: [
        { name: 'node', argv: [process.execPath, join(AGENTS, 'node-agent.mjs'), ...args] },
        { name: 'python', argv: [PYTHON, join(AGENTS, 'python_agent.py'), ...args] },
      ],
    };
  });
  after(async () => {
    await engine?.stop();
  });

  it('is refused in an untrusted workspace before anything runs', async () => {
    const reportsDir = join(ws, 'untrusted-reports');
    await assert.rejects(runExperiment(normalizeExperiment(file, { workspaceDir: ws }), { reportsDir, trusted: false }), (e: unknown) => isChimeraError(e, 'E_UNTRUSTED'));
  });

  it('produces a complete TR directory with start-up, RSS and calls per implementation', async () => {
    const reportsDir = join(ws, 'reports');
    const tokenStages = new Set<string>();
    const result = await runExperiment(normalizeExperiment(file, { workspaceDir: ws }), { reportsDir, onEvent: (e) => { if (e.type === 'tokens') tokenStages.add(`${e.variant}/${e.stage}`); } });
    assert.equal(result.status, 'complete');
    assert.deepEqual([...tokenStages].sort(), ['node/analysis', 'node/report', 'python/analysis', 'python/report'], 'live token progress of the proxied calls');
    const runs = readFileSync(join(result.trDir, 'runs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RunRecord);
    assert.equal(runs.length, 6);
    assert.deepEqual(runs.map((r) => [r.variant, r.warmup]), [['node', true], ['python', true], ['node', false], ['python', false], ['node', false], ['python', false]]);
    for (const r of runs) {
      assert.equal(r.status, 'ok', r.error);
      assert.equal(r.valid, true, r.invalidReason);
      assert.equal(r.command?.callsSource, 'proxy');
      assert.deepEqual(r.calls.map((c) => c.stage), ['analysis', 'report']);
      assert.ok(r.command!.startup_ms! > 0 && r.command!.startup_ms! < r.command!.process_wall_ms);
      assert.ok(r.command!.peak_rss_mb! > 5);
      assert.equal(readFileSync(join(result.trDir, 'outputs', `run${r.run}`, 'report.md'), 'utf8').split('\n')[0], '# Technical Report');
    }
    const byName = Object.fromEntries(result.meta.summary.variants.map((v) => [v.name, v]));
    assert.deepEqual(Object.keys(byName).sort(), ['node', 'python']);
    for (const name of ['node', 'python']) {
      const v = byName[name];
      assert.equal(v.n, 2);
      const startup = v.startup_ms as { n: number; mean: number } | undefined;
      const rss = v.peak_rss_mb as { n: number; mean: number } | undefined;
      assert.equal(startup?.n, 2);
      assert.equal(rss?.n, 2);
      const measured = runs.filter((r) => r.variant === name && !r.warmup);
      assert.ok(Math.abs(rss!.mean - (measured[0].command!.peak_rss_mb! + measured[1].command!.peak_rss_mb!) / 2) < 1e-9);
      console.log(`      ${name}: startup mean ${startup!.mean.toFixed(1)} ms, peak RSS mean ${rss!.mean.toFixed(1)} MiB`);
    }
    assert.ok(result.meta.metricDefinitions.startup_ms.length > 0);
  });
});
