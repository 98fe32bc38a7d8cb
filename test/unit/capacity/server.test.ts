// Managed servers: the capacity kind starts the embedded engine per variant with its environment
// (OLLAMA_NUM_PARALLEL), runs the variant, stops it — and never leaves it running, whether the run
// ends, is cancelled, or the harness is killed with SIGKILL (the watchdog stops the server's group).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { readMeta, readRunsSync } from '../../../src/core/store/read';
import { writeReport } from '../../../src/core/report/write';
import type { CapacitySummary } from '../../../src/core/capacity/summary';
import { serverPort } from '../../../src/core/capacity/server';
import { isChimeraError } from '../../../src/core/errors';
import { closedPortUrl, makeWorkspace } from '../../helpers/workspace';
import { answers, freePort, PACED_ENGINE as ENGINE, processes, until } from '../../helpers/servers';
import { CLI, requireBuiltCli } from '../../helpers/cli';

// `closed`: the declared endpoint, a port bound and closed by the test: nothing listens there, so a request
// that is not redirected to the managed server fails.
function experiment(ports: number[], durationS: number, closed: string): ExperimentFile {
  return {
    title: 'managed servers', kind: 'capacity', model: 'tiny:latest', endpoints: { default: closed }, prompts: ['hi'], repetitions: 1,
    load: { mode: 'concurrency', levels: [1, 2, 8], durationS, warmupS: 0.3 },
    variants: [
      { name: 'np1', server: { command: ENGINE, env: { OLLAMA_NUM_PARALLEL: '1' }, port: ports[0] } },
      { name: 'np4', server: { command: ENGINE, env: { OLLAMA_NUM_PARALLEL: '4' }, port: ports[1] } },
    ].slice(0, ports.length),
  };
}

describe('capacity: managed servers', function () {
  this.timeout(120_000);
  before(requireBuiltCli);

  it('two OLLAMA_NUM_PARALLEL values give different knees; each server is stopped after its variant, its log and env kept', async () => {
    const ports = [await freePort(), await freePort()];
    const ws = makeWorkspace(false);
    // np4's server has no port: it takes the port of the load's endpoint (free, bound and closed by the test).
    const x = experiment(ports, 2, `http://127.0.0.1:${ports[1]}`);
    delete x.variants![1].server!.port;
    const r = await runExperiment(normalizeExperiment(x), { reportsDir: ws.reportsDir, gpuSampling: false });
    assert.equal(r.status, 'complete');
    const cap = readMeta(r.trDir).summary.capacity as CapacitySummary;
    const [np1, np4] = cap.variants;
    // One slot: saturated from level 1 (only the client's turnaround is gained at 2), flat from 2 to 8.
    assert.ok(np1.knee !== null && np1.knee <= 2, `np1 knee ${np1.knee} (${np1.knee_reason})`);
    // Four slots: output grows at every step up to 8 in flight (×2, then up to ×4 − turnaround): no knee in range.
    assert.equal(np4.knee, null, `np4 knee ${np4.knee}`);
    const out8 = (v: typeof np1) => v.levels.find((l) => l.level === 8)!.output_tps.mean;
    assert.ok(out8(np4) > 3 * out8(np1), `output at 8: np4 ${out8(np4)} vs np1 ${out8(np1)}`);
    // The server's network estimate is taken after its start, so queue_ms is known (one slot, 8 in flight: a long wait).
    const q8 = np1.levels.find((l) => l.level === 8)!.queue_ms;
    assert.ok(q8 !== null && q8.p95.mean > 100, `np1 queue_ms p95 at 8: ${JSON.stringify(q8?.p95)}`);
    const runs = readRunsSync(r.trDir).runs;
    const rec = runs.find((x) => x.variant === 'np4')!.capacity!.server!;
    assert.ok(rec.version && rec.model?.name === 'tiny:latest', `checked after the start: ${JSON.stringify({ version: rec.version, model: rec.model })}`);
    assert.deepEqual(rec.env, { OLLAMA_HOST: `127.0.0.1:${ports[1]}`, OLLAMA_NUM_PARALLEL: '4' });
    assert.ok(existsSync(rec.log));
    assert.match(readFileSync(rec.log, 'utf8'), /parallel 4.*OLLAMA_NUM_PARALLEL=4/, 'the engine reports the environment it honoured');
    for (const p of ports) assert.equal(await answers(p), false, `server on ${p} stopped`);
    // The report names each variant's server, its environment and where its log is.
    const md = readFileSync(writeReport(r.trDir, { charts: false }).reportFile, 'utf8');
    assert.match(md, /Managed server: `chimeraforge-engine --mode paced[^`]*` with `OLLAMA_NUM_PARALLEL=4` on the load endpoint's port, .*`outputs\/servers\/np4\.log`/);
    assert.equal(rec.log, join(r.trDir, 'outputs', 'servers', 'np4.log'));
  });

  it('a server without a port on a remote endpoint: the variant fails with E_BAD_INPUT naming the endpoint', () => {
    assert.equal(serverPort('np4', {}, 'http://127.0.0.1:4321'), 4321);
    assert.throws(() => serverPort('np4', {}, 'http://gpu-box:11434'), (e: unknown) => isChimeraError(e) && e.code === 'E_BAD_INPUT' && /gpu-box:11434/.test(e.message));
  });

  it('a server that does not serve the model: the variant\'s runs fail with E_MODEL_NOT_FOUND, the server started once and stopped', async () => {
    const port = await freePort();
    const ws = makeWorkspace(false);
    const x = experiment([port], 1, await closedPortUrl());
    x.variants![0].model = 'absent:latest';
    const r = await runExperiment(normalizeExperiment(x), { reportsDir: ws.reportsDir, gpuSampling: false });
    const runs = readRunsSync(r.trDir).runs;
    assert.deepEqual(runs.map((q) => [q.status, q.errorCode]), [['failed', 'E_MODEL_NOT_FOUND'], ['failed', 'E_MODEL_NOT_FOUND'], ['failed', 'E_MODEL_NOT_FOUND']]);
    const log = readFileSync(join(r.trDir, 'outputs', 'servers', 'np1.log'), 'utf8');
    assert.equal(log.match(/listening on/g)?.length, 1, 'started once: the later runs fail without another start');
    assert.equal(await answers(port), false);
  });

  it('untrusted workspace: refused before anything starts', async () => {
    const ws = makeWorkspace(false);
    await assert.rejects(runExperiment(normalizeExperiment(experiment([await freePort()], 1, await closedPortUrl())), { reportsDir: ws.reportsDir, trusted: false, gpuSampling: false }), /E_UNTRUSTED|untrusted/);
  });

  it('cancel mid-run: the server is stopped', async () => {
    const port = await freePort();
    const ws = makeWorkspace(false);
    const ac = new AbortController();
    const running = runExperiment(normalizeExperiment(experiment([port], 30, await closedPortUrl())), { reportsDir: ws.reportsDir, signal: ac.signal, gpuSampling: false });
    assert.ok(await until(() => answers(port), 30_000), 'server started');
    ac.abort();
    const r = await running;
    assert.equal(r.status, 'cancelled');
    assert.equal(await answers(port), false);
  });

  it('kill -9 of the harness: the watchdog stops the server, and no server or watchdog process remains (ps)', async () => {
    const port = await freePort();
    const ws = makeWorkspace(false);
    const file = join(ws.dir, 'cap.experiment.json');
    writeFileSync(file, JSON.stringify(experiment([port], 60, await closedPortUrl())));
    const harness = spawn(process.execPath, [CLI, 'run', file, '--reports-dir', ws.reportsDir, '--no-gpu-sampling'], { cwd: ws.dir, stdio: 'ignore' });
    try {
      assert.ok(await until(() => answers(port), 30_000), 'server started');
      const servers = processes(`--port ${port}`);
      assert.equal(servers.length, 1, `one server process: ${servers.join(' | ')}`);
      const serverPid = servers[0].trim().split(/\s+/)[0];
      // The watchdog's argv ends with the server's pid (its process group).
      const watchdogs = () => processes('process.stdin.on').filter((l) => l.trim().endsWith(` ${serverPid}`));
      assert.equal(watchdogs().length, 1, 'a watchdog is running beside the server');
      harness.kill('SIGKILL');
      assert.ok(await until(async () => !(await answers(port)), 10_000), 'server gone within 10 s of the harness being killed');
      assert.ok(await until(async () => processes(`--port ${port}`).length === 0 && watchdogs().length === 0, 10_000),
        `no process left: ${[...processes(`--port ${port}`), ...watchdogs()].join(' | ')}`);
    } finally {
      harness.kill('SIGKILL');
    }
  });
});
