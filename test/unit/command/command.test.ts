import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import type { ExperimentFile, ImplementationSpec } from '../../../src/core/experiment/types';
import type { CallRecord } from '../../../src/core/types';
import { NO_CALLS_REASON, runCommandKind, stagesOf } from '../../../src/core/runner/kinds/command';
import { contextFor, PYTHON, tmp, writeSampleData } from './helpers';

const AGENTS = resolve(__dirname, '../../../examples/agents');
const node = process.execPath;
const agentArgs = ['--data', '${workspace}/data', '--out', '${run_dir}', '--base-url', '${endpoint}', '--model', '${model}', '--options', '${options_json}'];
const IMPLS: ImplementationSpec[] = [
  { name: 'node', argv: [node, join(AGENTS, 'node-agent.mjs'), ...agentArgs] },
  { name: 'python', argv: [PYTHON, join(AGENTS, 'python_agent.py'), ...agentArgs] },
];

describe('command kind (external implementations)', function () {
  this.timeout(120_000);
  let engine: EngineHandle;
  let ws: string;
  const experiment = (implementations: ImplementationSpec[], extra: Partial<ExperimentFile> = {}): ExperimentFile => ({
    title: 'impl A vs B', kind: 'command', model: 'tiny:latest', endpoints: { default: engine.url }, maxTokens: 16, repetitions: 1, warmup: 0, implementations, ...extra,
  });

  before(async () => {
    engine = await startEngine({ mode: 'llama' });
    ws = tmp('command');
    writeSampleData(ws);
  });
  after(async () => {
    await engine?.stop();
  });

  for (const impl of IMPLS) {
    it(`runs the ${impl.name} example agent through the recording proxy`, async () => {
      const ctx = contextFor(experiment(IMPLS), ws, impl.name);
      const o = await runCommandKind(ctx);
      assert.equal(o.status, 'ok', o.error);
      assert.equal(o.valid, true, o.invalidReason);
      const c = o.command!;
      assert.equal(c.exitCode, 0);
      assert.equal(c.callsSource, 'proxy');
      assert.deepEqual(o.calls.map((x) => x.stage), ['analysis', 'report']);
      for (const call of o.calls) {
        assert.equal(call.status, 'ok');
        assert.equal(call.model, 'tiny:latest');
        assert.deepEqual(call.options, { num_predict: 16 });
        assert.equal(call.server?.eval_count, 16);
        assert.equal(call.url, engine.url);
        assert.ok(call.client.firstTokenMs !== null && call.client.sendOffsetMs >= 0);
      }
      // The analysis prompt carries the inventory of the three sample files.
      assert.ok(o.calls[0].promptChars! > 300);
      assert.ok(c.startup_ms !== null && c.startup_ms > 0 && c.startup_ms < c.process_wall_ms, `startup ${c.startup_ms} of ${c.process_wall_ms} ms`);
      assert.ok(c.peak_rss_mb !== null && c.peak_rss_mb > 5 && c.peak_rss_mb < 1000, `rss ${c.peak_rss_mb} MiB`);
      assert.ok(c.cpu_ms !== null && c.cpu_ms > 0);
      assert.ok(o.wallMs >= c.process_wall_ms);
      const [an, rep] = o.calls;
      assert.deepEqual(o.stages, {
        analysis: an.client.endMs, report: rep.client.endMs,
        total: rep.client.sendOffsetMs + rep.client.endMs - an.client.sendOffsetMs,
      });
      assert.ok(o.stages!.total < c.process_wall_ms);
      const report = readFileSync(join(ws, 'outputs', `run${ctx.planned.index}`, 'report.md'), 'utf8');
      assert.match(report, /^# Technical Report\n\nModel: tiny:latest\nOptions: \{"num_predict":16\}\nFiles analysed: 3\n/);
      console.log(`      ${impl.name}: startup ${c.startup_ms!.toFixed(1)} ms, process ${c.process_wall_ms.toFixed(1)} ms, peak RSS ${c.peak_rss_mb!.toFixed(1)} MiB, CPU ${c.cpu_ms} ms (${c.samples} samples)`);
    });
  }

  for (const impl of IMPLS) {
    it(`the ${impl.name} agent exits 3 on a missing model; the run fails and keeps the recorded call`, async () => {
      const o = await runCommandKind(contextFor(experiment(IMPLS, { model: 'nope:latest' }), ws, impl.name));
      assert.equal(o.status, 'failed');
      assert.equal(o.errorCode, 'E_COMMAND');
      assert.match(o.error ?? '', /exited with code 3: .*analysis: HTTP 404: .*model 'nope:latest' not found/);
      assert.equal(o.command?.exitCode, 3);
      assert.deepEqual(o.calls.map((c) => [c.stage, c.status, c.error?.code]), [['analysis', 'failed', 'E_MODEL_NOT_FOUND']]);
    });
  }

  it('stage durations span overlapping calls of one stage', () => {
    const call = (stage: string, sendOffsetMs: number, endMs: number): CallRecord => ({
      stage, endpoint: 'default', url: 'u', model: 'm', api: 'generate', options: {}, startedAt: '', status: 'ok', server: null,
      client: { sendOffsetMs, headersMs: null, firstTokenMs: null, endMs, chunkMs: [] }, metrics: null, textChars: 0,
    });
    assert.deepEqual(stagesOf([call('a', 10, 100), call('a', 50, 100), call('b', 200, 30)]), { a: 140, b: 30, total: 220 });
    assert.equal(stagesOf([]), undefined);
  });

  it('both examples send the same prompts (only the implementation differs)', async () => {
    const x = experiment(IMPLS, { options: { seed: 3, temperature: 0 } });
    const [a, b] = [await runCommandKind(contextFor(x, ws, 'node')), await runCommandKind(contextFor(x, ws, 'python'))];
    assert.deepEqual(a.calls.map((c) => c.promptChars), b.calls.map((c) => c.promptChars));
    assert.deepEqual(a.calls.map((c) => c.textChars), b.calls.map((c) => c.textChars));
  });

  it('takes self-reported calls when the program bypasses the proxy', async () => {
    const direct: ImplementationSpec = { name: 'direct', argv: [node, join(AGENTS, 'node-agent.mjs'), '--data', 'data', '--out', '${run_dir}', '--base-url', engine.url, '--model', '${model}', '--options', '${options_json}', '--self-report'] };
    const o = await runCommandKind(contextFor(experiment([direct]), ws, 'direct'));
    assert.equal(o.status, 'ok', o.error);
    assert.equal(o.command?.callsSource, 'self-report');
    assert.equal(o.command?.startup_ms, null);
    assert.deepEqual(o.calls.map((c) => c.stage), ['analysis', 'report']);
    assert.ok(o.calls.every((c) => c.server?.eval_count === 16 && c.client.chunkMs.length > 0 && c.metrics?.decode_tps !== null));
  });

  it('a self-report without the optional text_chars is judged by eval_count: valid, text length unknown (null)', async () => {
    // A program that calls the engine directly (not through the proxy) and reports the call without text_chars.
    const script = `const [url, model] = process.argv.slice(1); const t0 = Date.now();
      const r = await fetch(url + '/api/generate', { method: 'POST', body: JSON.stringify({ model, prompt: 'hello', stream: false, options: { num_predict: 16 } }) });
      const final = await r.json();
      console.log(JSON.stringify({ chimeraforge: 'call', stage: 'answer', model, end_ms: Date.now() - t0, final }));`;
    const bare: ImplementationSpec = { name: 'bare', argv: [node, '--input-type=module', '-e', script, engine.url, '${model}'] };
    const o = await runCommandKind(contextFor(experiment([bare]), ws, 'bare'));
    assert.equal(o.status, 'ok', o.error);
    assert.equal(o.command?.callsSource, 'self-report');
    assert.equal(o.calls.length, 1);
    assert.equal(o.calls[0].server?.eval_count, 16);
    assert.equal(o.calls[0].textChars, null, 'unknown, not 0');
    assert.equal(o.valid, true, o.invalidReason);
  });

  it('fills the placeholders and gives the program the proxy as OLLAMA_HOST', async () => {
    const script = 'console.log(JSON.stringify({ argv: process.argv.slice(1), host: process.env.OLLAMA_HOST, cwd: process.cwd(), out: process.env.OUT }))';
    const impl: ImplementationSpec = { name: 'echo', argv: [node, '-e', script, '${model}', '${options_json}', '${variant}', '$(echo hi)'], cwd: 'data', env: { OUT: '${run_dir}' } };
    const ctx = contextFor(experiment([impl], { variants: [{ name: 'hot', options: { temperature: 0.9 } }] }), ws, 'echo@hot');
    const o = await runCommandKind(ctx);
    const seen = JSON.parse(o.command!.stdoutTail) as { argv: string[]; host: string; cwd: string; out: string };
    assert.deepEqual(seen.argv, ['tiny:latest', '{"temperature":0.9,"num_predict":16}', 'echo@hot', '$(echo hi)']);
    assert.match(seen.host, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(seen.host, engine.url);
    assert.equal(seen.cwd, join(ws, 'data'));
    assert.equal(seen.out, join(ws, 'outputs', `run${ctx.planned.index}`));
    assert.ok(existsSync(seen.out));
    // It made no LLM call: a clean exit, but not a measurement.
    assert.equal(o.status, 'ok');
    assert.equal(o.valid, false);
    assert.equal(o.invalidReason, NO_CALLS_REASON);
    assert.equal(o.command?.callsSource, 'none');
    assert.equal(o.command?.startup_ms, null);
  });

  const failures: [string, ImplementationSpec, string, RegExp][] = [
    ['a missing program', { name: 'ghost', argv: ['./no-such-agent', '--x'] }, 'E_COMMAND', /implementation "ghost" \(\.\/no-such-agent\) could not start: program not found \[ENOENT\]/],
    ['a non-zero exit', { name: 'crash', argv: [node, '-e', 'console.error("model refused"); process.exit(7)'] }, 'E_COMMAND', /implementation "crash" \(.*node\) exited with code 7: model refused/],
    ['a missing working directory', { name: 'nowhere', argv: [node, '-v'], cwd: 'no/such/dir' }, 'E_COMMAND', /working directory .*no\/such\/dir does not exist/],
    ['an unknown placeholder', { name: 'typo', argv: [node, '${modle}'] }, 'E_BAD_INPUT', /unknown placeholder \$\{modle\}/],
  ];
  for (const [what, impl, code, message] of failures) {
    it(`fails the run for ${what}`, async () => {
      const o = await runCommandKind(contextFor(experiment([impl]), ws, impl.name));
      assert.equal(o.status, 'failed');
      assert.equal(o.valid, false);
      assert.equal(o.errorCode, code);
      assert.match(o.error ?? '', message);
    });
  }

  it('cancel kills the program and the run is cancelled', async () => {
    const ac = new AbortController();
    const impl: ImplementationSpec = { name: 'hang', argv: [node, '-e', 'fetch(process.env.OLLAMA_HOST + "/api/tags").then(() => setInterval(() => {}, 1000))'] };
    const ctx = contextFor(experiment([impl]), ws, 'hang', ac.signal);
    setTimeout(() => ac.abort(), 1500);
    const o = await runCommandKind(ctx);
    assert.equal(o.status, 'cancelled');
    assert.equal(o.errorCode, 'E_ABORTED');
    assert.equal(o.command?.signal, 'SIGTERM');
    assert.ok(o.command!.startup_ms! > 0 && o.command!.startup_ms! < o.command!.process_wall_ms);
  });

  it('does not start the program when the run is already cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    const impl: ImplementationSpec = { name: 'never', argv: [node, '-e', 'require("fs").writeFileSync(process.env.CHIMERAFORGE_RUN_DIR + "/ran", "")'] };
    const ctx = contextFor(experiment([impl]), ws, 'never', ac.signal);
    const o = await runCommandKind(ctx);
    assert.equal(o.status, 'cancelled');
    assert.equal(o.command, undefined);
    assert.equal(existsSync(join(ws, 'outputs', `run${ctx.planned.index}`, 'ran')), false);
  });

  it('stops a hung program at 10 × timeoutMs', async () => {
    const impl: ImplementationSpec = { name: 'hung', argv: [node, '-e', 'setInterval(() => {}, 1000)'] };
    const o = await runCommandKind(contextFor(experiment([impl], { timeoutMs: 50 }), ws, 'hung'));
    assert.equal(o.status, 'failed');
    assert.equal(o.errorCode, 'E_TIMEOUT');
    assert.match(o.error ?? '', /longer than 500 ms \(10 × timeoutMs\)/);
  });
});
