// Managed endpoint servers: an endpoint's `server` (the embedded engine here, for real) is started before
// the preflight, serves every run of the experiment, is recorded in meta.json (environment.endpoints[].server)
// with its log in the TR, and is gone afterwards — when the experiment ends and when it is cancelled.
// Bad input: a managed endpoint off this machine, a port that is not the URL's, two servers on one port.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { schemaProblems } from '../../../src/core/experiment/load';
import type { ExperimentFile } from '../../../src/core/experiment/types';
import { runExperiment } from '../../../src/core/runner/runExperiment';
import { pidAlive, readMeta, readRunsSync } from '../../../src/core/store/read';
import { writeReport } from '../../../src/core/report/write';
import { isChimeraError } from '../../../src/core/errors';
import { makeWorkspace } from '../../helpers/workspace';
import { answers, freePort, PACED_ENGINE as ENGINE, processes, until } from '../../helpers/servers';
import { requireBuiltCli } from '../../helpers/cli';


/** A capacity experiment whose only endpoint is a managed engine with two slots (written as localhost: the harness reaches it on 127.0.0.1). */
function experiment(port: number, durationS: number): ExperimentFile {
  return {
    title: 'managed endpoint', kind: 'capacity', model: 'tiny:latest', prompts: ['hi'], repetitions: 1,
    endpoints: { default: { url: `http://localhost:${port}`, server: { command: ENGINE, env: { OLLAMA_NUM_PARALLEL: '2' }, port } } },
    load: { mode: 'concurrency', levels: [1, 2], durationS, warmupS: 0.3 },
  };
}

function badInput(x: ExperimentFile, where: string, overrides?: Record<string, string>): void {
  assert.throws(() => normalizeExperiment(x, overrides ? { endpointOverrides: overrides } : {}),
    (e: unknown) => isChimeraError(e) && e.code === 'E_BAD_INPUT' && e.where === where, `E_BAD_INPUT at ${where}`);
}

describe('managed endpoint servers', function () {
  this.timeout(120_000);
  before(requireBuiltCli);

  it('capacity: every run goes to the endpoint\'s server, which is recorded with its log and stopped after the experiment', async () => {
    const port = await freePort();
    const ws = makeWorkspace(false);
    const x = normalizeExperiment(experiment(port, 1));
    assert.equal(x.endpoints.default, `http://127.0.0.1:${port}`);
    const r = await runExperiment(x, { reportsDir: ws.reportsDir, gpuSampling: false });
    assert.equal(r.status, 'complete');
    // Nothing else listens on the port: requests that succeeded were served by the managed engine.
    const runs = readRunsSync(r.trDir).runs;
    assert.deepEqual(runs.map((q) => [q.status, q.capacity?.level]), [['ok', 1], ['ok', 2]]);
    const requests = runs.flatMap((q) => q.capacity!.requests);
    assert.ok(requests.length > 4 && requests.every((q) => q.endpoint === 'default' && q.status === 'ok'), `${requests.length} requests, all ok on default`);
    const ep = readMeta(r.trDir).environment!.endpoints.find((e) => e.name === 'default')!;
    const rec = ep.server!;
    assert.equal(ep.url, `http://127.0.0.1:${port}`);
    assert.deepEqual(rec.env, { OLLAMA_HOST: `127.0.0.1:${port}`, OLLAMA_NUM_PARALLEL: '2' });
    assert.equal(rec.port, port);
    assert.ok(rec.pid > 0 && rec.readyMs > 0 && rec.version === ep.version && typeof rec.version === 'string', JSON.stringify(rec));
    assert.ok(rec.command.includes('--paced-ttft-ms'), rec.command.join(' '));
    assert.equal(rec.log, join(r.trDir, 'outputs', 'servers', 'endpoint-default.log'));
    assert.match(readFileSync(rec.log, 'utf8'), /parallel 2.*OLLAMA_NUM_PARALLEL=2/, 'the engine reports the environment it honoured');
    // Stopped, and the staging folder of its log is gone: the reports folder holds the TR only.
    assert.equal(pidAlive(rec.pid), false, `server pid ${rec.pid} gone`);
    assert.equal(await answers(port), false);
    // Nor any process of its group, nor its watchdog (whose argv ends with the server's pid).
    const left = (): string[] => [...processes(`--port ${port}`), ...processes('process.stdin.on').filter((l) => l.trim().endsWith(` ${rec.pid}`))];
    assert.ok(await until(async () => left().length === 0, 10_000), `no process left: ${left().join(' | ')}`);
    assert.deepEqual(readdirSync(ws.reportsDir), [r.trId]);
    const md = readFileSync(writeReport(r.trDir, { charts: false }).reportFile, 'utf8');
    assert.match(md, /managed server `chimeraforge-engine --mode paced[^`]*` with `OLLAMA_NUM_PARALLEL=2` on port \d+, started by the harness.*`outputs\/servers\/endpoint-default\.log`/);
  });

  it('any kind: a prompt experiment runs on a managed endpoint', async () => {
    const port = await freePort();
    const ws = makeWorkspace(false);
    const x: ExperimentFile = { title: 'prompt on a managed endpoint', kind: 'prompt', model: 'tiny:latest', prompts: ['hi'], repetitions: 2, warmup: 0,
      endpoints: { default: { url: `http://127.0.0.1:${port}`, server: { command: ENGINE } } } };
    const r = await runExperiment(normalizeExperiment(x), { reportsDir: ws.reportsDir, gpuSampling: false });
    assert.equal(r.status, 'complete');
    const pid = r.meta.environment!.endpoints[0].server!.pid;
    assert.equal(pidAlive(pid), false);
    assert.ok(existsSync(join(r.trDir, 'outputs', 'servers', 'endpoint-default.log')));
  });

  it('cancel mid-run: the endpoint\'s server is stopped', async () => {
    const port = await freePort();
    const ws = makeWorkspace(false);
    const ac = new AbortController();
    // Cancelled once the load of the first run is under way (the server answered the preflight before it).
    const running = runExperiment(normalizeExperiment(experiment(port, 30)), {
      reportsDir: ws.reportsDir, signal: ac.signal, gpuSampling: false,
      onEvent: (e) => {
        if (e.type === 'capacity-progress') ac.abort();
      },
    });
    const r = await running;
    assert.equal(r.status, 'cancelled');
    const rec = readMeta(r.trDir).environment!.endpoints[0].server!;
    assert.equal(pidAlive(rec.pid), false, `server pid ${rec.pid} gone after the cancel`);
    assert.equal(await answers(port), false);
  });

  it('a server that does not start: E_UNREACHABLE naming endpoints.<name>.server, no TR written', async () => {
    const port = await freePort();
    const ws = makeWorkspace(false);
    const x: ExperimentFile = { ...experiment(port, 1), endpoints: { default: { url: `http://127.0.0.1:${port}`, server: { command: [process.execPath, '-e', 'process.exit(3)'] } } } };
    await assert.rejects(runExperiment(normalizeExperiment(x), { reportsDir: ws.reportsDir, gpuSampling: false }),
      (e: unknown) => isChimeraError(e) && e.code === 'E_UNREACHABLE' && e.where === 'endpoints.default.server' && /code 3/.test(e.message));
    // Only the staging folder with the log the error names: no TR.
    const left = readdirSync(ws.reportsDir);
    assert.equal(left.length, 1);
    assert.match(left[0], /^\.server-logs-/);
  });

  it('untrusted workspace: refused before the server starts', async () => {
    const port = await freePort();
    const ws = makeWorkspace(false);
    await assert.rejects(runExperiment(normalizeExperiment(experiment(port, 1)), { reportsDir: ws.reportsDir, trusted: false, gpuSampling: false }),
      (e: unknown) => isChimeraError(e) && e.code === 'E_UNTRUSTED' && /endpoints\.default\.server/.test(e.message));
    assert.equal(await answers(port), false);
    assert.equal(existsSync(ws.reportsDir), false);
  });

  it('bad input: a managed endpoint off this machine, a port other than its URL\'s, two servers on one port', () => {
    const remote: ExperimentFile = { ...experiment(11500, 1), endpoints: { default: { url: 'http://gpu-box:11434', server: {} } } };
    badInput(remote, 'endpoints.default.url');
    // An --endpoint override is checked as the file's URL is.
    badInput(experiment(11500, 1), 'endpoints.default.url', { default: 'http://gpu-box:11500' });
    badInput({ ...experiment(11500, 1), endpoints: { default: { url: 'http://127.0.0.1:11501', server: { port: 11500 } } } }, 'endpoints.default.server.port');
    badInput({ ...experiment(11500, 1), endpoints: { default: { url: 'http://127.0.0.1:11500', server: {} }, b: { url: 'http://localhost:11500', server: {} } } }, 'endpoints.b.server');
    // A variant's server without a port takes the load endpoint's port: the endpoint's server is already there.
    badInput({ ...experiment(11500, 1), variants: [{ name: 'np1', server: { env: { OLLAMA_NUM_PARALLEL: '1' } } }] }, 'variants[0].server.port');
    badInput({ ...experiment(11500, 1), variants: [{ name: 'np1', server: { port: 11500 } }] }, 'variants[0].server.port');
    // A variant's server on a port of its own beside a managed endpoint is fine.
    assert.equal(normalizeExperiment({ ...experiment(11500, 1), variants: [{ name: 'np1', server: { port: 11600 } }] }).endpointServers?.default.port, 11500);
  });

  it('schema: an endpoint is a URL or { url, server } with the variant\'s server shape', () => {
    const base = { title: 't', kind: 'capacity', load: { mode: 'concurrency', levels: [1] }, prompts: ['hi'] };
    assert.deepEqual(schemaProblems({ ...base, endpoints: { a: 'http://127.0.0.1:1', b: { url: 'http://127.0.0.1:2', server: { command: ['ollama', 'serve'], env: { X: '1' }, port: 2 } } } }), []);
    assert.match(schemaProblems({ ...base, endpoints: { b: { url: 'http://127.0.0.1:2', server: { cmd: ['x'] } } } }).join('\n'), /endpoints\.b\.server: unknown property "cmd"/);
    assert.match(schemaProblems({ ...base, endpoints: { b: { server: {} } } }).join('\n'), /endpoints\.b: missing required property "url"/);
  });
});
