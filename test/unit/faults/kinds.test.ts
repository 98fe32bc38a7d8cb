// Faults inside multi-call runs: the report-agent workflow (analysis then report call) and multi-agent
// runs (agents calling at once). A fault in one call fails that run with the call's typed code, later
// stages of that run are not attempted, the other runs go on, and nothing is lost.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { EngineHandle, FaultConfig, PacedConfig } from '../../../engine/api';
import type { RunRecord } from '../../../src/core/types';
import { makeWorkspace } from '../../helpers/workspace';
import { EnginePool } from '../ollama/engineHarness';
import { cli, ensureCliBuilt, readTr, watchMeta, writeExperiment } from './helpers';

const PACED: PacedConfig = { ttftMs: 10, tokensPerSec: 400, tokens: 8 };
const WORKFLOW = { type: 'report-agent', inputs: ['data/**/*.csv', 'data/**/*.json', 'data/**/*.md'] };

describe('fault matrix: faults inside agent and multi-agent runs', function () {
  this.timeout(120_000);
  const pool = new EnginePool();
  let engine: EngineHandle;

  before(async () => {
    ensureCliBuilt();
    engine = await pool.start({ mode: 'fault', parallel: 2, paced: PACED });
  });
  after(() => pool.stopAll());

  /** Runs `x` under `fault`; returns the TR's runs after the checks every case shares. */
  async function runUnder(fault: FaultConfig, x: object, reps: number, paced: Partial<PacedConfig> = {}): Promise<{ runs: RunRecord[]; injected: number; code: number | null }> {
    await engine.configure({ mode: 'fault', fault, paced: { ...PACED, ...paced } });
    const before = (await engine.stats()).faultsInjected;
    const ws = makeWorkspace(true);
    const f = writeExperiment(ws.dir, 'k.experiment.json', { model: 'tiny:latest', repetitions: reps, warmup: 0, retry: { attempts: 0 }, ...x });
    const watch = watchMeta(join(ws.reportsDir, 'TR1', 'meta.json'));
    const r = await cli(['run', f, '--endpoint', `default=${engine.url}`], ws.dir);
    await watch.stop();
    const injected = (await engine.stats()).faultsInjected - before;
    const { meta, runs, lines } = readTr(join(ws.reportsDir, 'TR1'));
    assert.equal(lines, meta.counts.planned, 'no run lost');
    assert.equal(meta.counts.failed, runs.filter((x) => x.status === 'failed').length);
    assert.deepEqual(watch.failures, []);
    assert.ok(watch.reads > 0);
    assert.equal(meta.status, r.code === 0 ? 'complete' : 'failed');
    return { runs, injected, code: r.code };
  }

  const AGENT_CASES: { name: string; fault: FaultConfig; failedRun: number; stages: string[]; code: string; message: RegExp }[] = [
    // Run 0 makes calls 0 (analysis) and 1 (report): one good request, then the fault hits the report call.
    { name: 'HTTP 500 on the report call', fault: { kind: 'http500', afterGood: 1, count: 1 }, failedRun: 0, stages: ['analysis', 'report'], code: 'E_SERVER', message: /HTTP 500: llama runner process has terminated/ },
    // Two good requests (run 0), then the analysis call of run 1 breaks: its report call is never made.
    { name: 'mid-stream error on the analysis call', fault: { kind: 'midstream', afterGood: 2, count: 1 }, failedRun: 1, stages: ['analysis'], code: 'E_MIDSTREAM', message: /injected mid-stream fault/ },
  ];
  for (const c of AGENT_CASES) {
    it(`report-agent workflow, ${c.name}: that run fails with ${c.code}, the others complete`, async () => {
      const { runs, injected, code } = await runUnder(c.fault, { title: `agent ${c.name}`, kind: 'agent', workflow: WORKFLOW, maxTokens: 8 }, 3);
      assert.equal(code, 1);
      assert.equal(injected, 1);
      assert.deepEqual(runs.map((r) => r.status), runs.map((_, i) => (i === c.failedRun ? 'failed' : 'ok')));
      const failed = runs[c.failedRun];
      assert.equal(failed.errorCode, c.code);
      assert.match(failed.error ?? '', c.message);
      assert.deepEqual(failed.calls.map((x) => x.stage), c.stages);
      assert.equal(failed.calls[failed.calls.length - 1].error?.code, c.code);
      for (const r of runs.filter((x) => x.status === 'ok')) assert.deepEqual(r.calls.map((x) => [x.stage, x.status]), [['analysis', 'ok'], ['report', 'ok']]);
    });
  }

  it('multi-agent: a reset in one agent\'s call fails that run (agents[] says which), the other runs complete', async () => {
    const x = {
      title: 'multi-agent reset', kind: 'multi-agent', endpoints: { default: engine.url, b: engine.url }, workflow: WORKFLOW, maxTokens: 8,
      agents: [{ name: 'collector', endpoint: 'default' }, { name: 'insight', endpoint: 'b' }], sequentialBaseline: false,
    };
    // Run 0: both agents' analysis calls (2 requests), then the third request — a report call — is reset.
    // Tokens 200 ms apart, so the agent has read some before the RST (which may drop unread data).
    const { runs, injected, code } = await runUnder({ kind: 'reset', afterGood: 2, count: 1 }, x, 3, { tokensPerSec: 5, tokens: 2 });
    assert.equal(code, 1);
    assert.equal(injected, 1);
    assert.deepEqual(runs.map((r) => r.status), ['failed', 'ok', 'ok']);
    const agents = runs[0].agents ?? [];
    assert.deepEqual(agents.map((a) => a.status).sort(), ['failed', 'ok']);
    const bad = agents.find((a) => a.status === 'failed')!;
    assert.equal(runs[0].errorCode, 'E_RESET');
    assert.deepEqual(bad.calls.map((c) => [c.stage, c.status, c.error?.code]), [['analysis', 'ok', undefined], ['report', 'failed', 'E_RESET']]);
    assert.match(runs[0].error ?? '', new RegExp(bad.name));
    for (const r of runs.slice(1)) assert.deepEqual(r.agents?.map((a) => a.status), ['ok', 'ok']);
  });
});
