// Request parsing, options, keep_alive, stop strings, paced schedule, fault plan, configuration: pure parts.
import assert from 'node:assert/strict';
import { HttpError, parseKeepAlive, parseOptions, runnerOptions, sameRunner, isoMicros } from '../../../engine/server/protocol';
import { parseInference, renderChat } from '../../../engine/server/request';
import { StopFilter } from '../../../engine/llama/stops';
import { pacedSchedule, pacedToken } from '../../../engine/paced/backend';
import { FaultPlan } from '../../../engine/fault/plan';
import { DEFAULT_PACED, normalizeModelName, resolveConfig, validateConfig } from '../../../engine/config';
import { parseEngineArgs } from '../../../engine/args';
import { engineConfigFromCli } from '../../../src/cli/commands/engine';
import { isChimeraError } from '../../../src/core/errors';

describe('engine protocol', () => {
  describe('keep_alive', () => {
    const cases: [unknown, number | undefined][] = [
      [undefined, undefined], [null, undefined], [0, 0], [30, 30_000], [1.9, 1000], [-1, Infinity], [-0.5, Infinity],
      ['10m', 600_000], ['1h30m', 5_400_000], ['500ms', 500], ['-1m', Infinity], ['-1s', Infinity], ['0', 0], ['-0', 0], ['2.5s', 2500],
      ['300s', 300_000], ['.5s', 500], ['1.s', 1000], ['+5m', 300_000],
    ];
    for (const [input, want] of cases) {
      it(`${JSON.stringify(input)} → ${want} (a number is whole seconds: Go's int())`, () => assert.equal(parseKeepAlive(input), want));
    }
    // Go's time.ParseDuration texts: Ollama answers them as the request's 400 error.
    const bad: [string, string][] = [
      ['300', 'time: missing unit in duration "300"'], ['45', 'time: missing unit in duration "45"'], ['1.5', 'time: missing unit in duration "1.5"'],
      ['soon', 'time: invalid duration "soon"'], ['', 'time: invalid duration ""'], ['.s', 'time: invalid duration ".s"'],
      ['10x', 'time: unknown unit "x" in duration "10x"'], ['5 m', 'time: unknown unit " m" in duration "5 m"'],
    ];
    for (const [input, msg] of bad) {
      it(`rejects ${JSON.stringify(input)}: ${msg}`, () => {
        assert.throws(() => parseKeepAlive(input), (e: unknown) => e instanceof HttpError && e.status === 400 && e.message === msg);
      });
    }
    it('rejects a non-string non-number with the Go type name', () => {
      assert.throws(() => parseKeepAlive(true), (e: unknown) => e instanceof HttpError && e.status === 400 && e.message === "Unsupported type: 'bool'");
    });
  });

  describe('options', () => {
    it('keeps known keys, truncates integers like Go, drops unknown keys', () => {
      assert.deepEqual(parseOptions({ num_ctx: 512.9, temperature: 0.2, stop: ['\n'], mirostat_eta: 1, use_mmap: false, nonsense: 'x' }),
        { num_ctx: 512, temperature: 0.2, stop: ['\n'], use_mmap: false });
    });
    const errors: [Record<string, unknown>, string][] = [
      [{ num_ctx: '512' }, 'option "num_ctx" must be of type integer'],
      [{ temperature: 'hot' }, 'option "temperature" must be of type float32'],
      [{ use_mmap: 1 }, 'option "use_mmap" must be of type boolean'],
      [{ stop: 'x' }, 'option "stop" must be of an array of strings'],
      [{ stop: [1] }, 'option "stop" must be of an array of strings'],
    ];
    for (const [opts, msg] of errors) {
      it(`400 ${msg}`, () => assert.throws(() => parseOptions(opts), (e: unknown) => e instanceof HttpError && e.status === 400 && e.message === msg));
    }
    it('runner options: defaults, and which changes force a reload', () => {
      const base = runnerOptions({});
      assert.deepEqual(base, { num_ctx: 4096, num_batch: 512, num_gpu: -1, main_gpu: 0, num_thread: 0, use_mmap: true, draft_num_predict: 0 });
      assert.equal(sameRunner(base, runnerOptions({ temperature: 0.1, seed: 3 })), true);
      assert.equal(sameRunner(base, runnerOptions({ num_ctx: 1024 })), false);
      assert.equal(sameRunner(base, runnerOptions({ num_batch: 64 })), false);
      assert.equal(sameRunner({ ...base, num_gpu: 0 }, runnerOptions({})), true, 'num_gpu -1 (auto) matches any runner');
      assert.equal(sameRunner(base, runnerOptions({ num_gpu: 0 })), false);
      // Ollama's needsReload compares api.Runner: main_gpu and draft_num_predict too; use_mlock and
      // low_vram are no longer load-time options (ignored with a warning).
      assert.equal(sameRunner(base, runnerOptions({ main_gpu: 1 })), false);
      assert.equal(sameRunner(base, runnerOptions({ draft_num_predict: 4 })), false);
      assert.equal(sameRunner(base, runnerOptions(parseOptions({ use_mlock: true, low_vram: true }))), true);
    });
  });

  describe('generate/chat bodies', () => {
    it('normalises the name, keeps it as sent, applies the template', () => {
      const r = parseInference('generate', { model: 'tiny', prompt: 'hi', system: 'be brief' });
      assert.equal(r.model, 'tiny');
      assert.equal(r.name, 'tiny:latest');
      assert.equal(r.prompt, '<|system|>\nbe brief\n<|user|>\nhi\n<|assistant|>\n');
      assert.equal(r.stream, true, 'the server default is stream=true');
      assert.equal(r.empty, false);
    });
    it('raw generate sends the prompt untouched; chat renders messages with lower-cased roles', () => {
      assert.equal(parseInference('generate', { model: 'm', prompt: 'abc', raw: true }).prompt, 'abc');
      const c = parseInference('chat', { model: 'm', messages: [{ role: 'USER', content: 'q' }], stream: false });
      assert.equal(c.prompt, renderChat([{ role: 'user', content: 'q' }]));
      assert.equal(c.stream, false);
    });
    const errors: [string, unknown, string][] = [
      ['generate', { prompt: 'x' }, 'model is required'],
      ['chat', { model: '' }, 'model is required'],
      ['generate', [1], 'json: cannot unmarshal array into Go value of type api.GenerateRequest'],
      ['generate', { model: 3 }, 'json: cannot unmarshal number into Go struct field GenerateRequest.model of type string'],
      ['chat', { model: 'm', messages: 'hi' }, 'json: cannot unmarshal string into Go struct field ChatRequest.messages of type []api.Message'],
      ['generate', { model: 'm', prompt: 'x', raw: true, system: 's' }, 'raw mode does not support template, system, or context'],
      ['generate', { model: 'm', keep_alive: 'later' }, 'time: invalid duration "later"'],
    ];
    for (const [api, body, msg] of errors) {
      it(`${api}: 400 ${msg}`, () => {
        assert.throws(() => parseInference(api as 'generate' | 'chat', body), (e: unknown) => e instanceof HttpError && e.status === 400 && e.message === msg);
      });
    }
    it('empty prompt / messages are the load forms', () => {
      assert.equal(parseInference('generate', { model: 'm' }).empty, true);
      assert.equal(parseInference('chat', { model: 'm', messages: [] }).empty, true);
    });
  });

  describe('stop strings', () => {
    const cases: { stops: string[]; pieces: string[]; sent: string; stopped: boolean }[] = [
      { stops: ['END'], pieces: ['abc', ' E', 'N', 'D tail'], sent: 'abc ', stopped: true },
      { stops: ['END'], pieces: ['abc', ' E', 'x'], sent: 'abc Ex', stopped: false },
      { stops: ['\n\n', 'zz'], pieces: ['a\n', 'b z', 'z'], sent: 'a\nb ', stopped: true },
      { stops: [], pieces: ['a', 'b'], sent: 'ab', stopped: false },
      { stops: ['xyz'], pieces: ['ab', 'xy'], sent: 'abxy', stopped: false },
    ];
    for (const c of cases) {
      it(`${JSON.stringify(c.stops)} over ${JSON.stringify(c.pieces)}`, () => {
        const f = new StopFilter(c.stops);
        let sent = '';
        let stopped = false;
        for (const p of c.pieces) {
          const s = f.push(p);
          sent += s.emit;
          if (s.stopped) { stopped = true; break; }
        }
        if (!stopped) sent += f.flush();
        assert.equal(sent, c.sent);
        assert.equal(stopped, c.stopped);
      });
    }
  });

  describe('paced schedule', () => {
    const cfg = { ttftMs: 50, tokensPerSec: 100, tokens: 20 };
    const cases: [Record<string, number>, { ttftMs: number; prefillMsPerToken: number; tps: number; tokens: number; truncated: boolean }][] = [
      [{}, { ttftMs: 50, prefillMsPerToken: 0, tps: 100, tokens: 20, truncated: false }],
      [{ paced_ttft_ms: 5, paced_tps: 400, paced_tokens: 7, paced_prefill_ms_per_token: 0.5 }, { ttftMs: 5, prefillMsPerToken: 0.5, tps: 400, tokens: 7, truncated: false }],
      [{ num_predict: 8 }, { ttftMs: 50, prefillMsPerToken: 0, tps: 100, tokens: 8, truncated: true }],
      [{ num_predict: 30 }, { ttftMs: 50, prefillMsPerToken: 0, tps: 100, tokens: 20, truncated: false }],
      [{ num_predict: -1 }, { ttftMs: 50, prefillMsPerToken: 0, tps: 100, tokens: 20, truncated: false }],
    ];
    for (const [opts, want] of cases) it(JSON.stringify(opts), () => assert.deepEqual(pacedSchedule(cfg, opts), want));
    it('text is deterministic per prompt and seed', () => {
      const a = Array.from({ length: 6 }, (_, i) => pacedToken('p', 1, i)).join('');
      assert.equal(a, Array.from({ length: 6 }, (_, i) => pacedToken('p', 1, i)).join(''));
      assert.notEqual(a, Array.from({ length: 6 }, (_, i) => pacedToken('p', 2, i)).join(''));
      assert.ok(!a.startsWith(' ') && a.split(' ').length === 6, a);
    });
  });

  describe('fault plan', () => {
    const run = (p: FaultPlan, n: number): string => Array.from({ length: n }, () => (p.next() ? 'F' : '.')).join('');
    it('after N good, for count', () => assert.equal(run(new FaultPlan({ kind: 'http500', afterGood: 2, count: 3 }), 8), '..FFF...'));
    it('all following by default', () => assert.equal(run(new FaultPlan({ kind: 'http500', afterGood: 1 }), 5), '.FFFF'));
    it('seeded probability: same seed → same pattern, about the asked rate', () => {
      const a = run(new FaultPlan({ kind: 'reset', probability: 0.3, seed: 7 }), 400);
      assert.equal(a, run(new FaultPlan({ kind: 'reset', probability: 0.3, seed: 7 }), 400));
      assert.notEqual(a, run(new FaultPlan({ kind: 'reset', probability: 0.3, seed: 8 }), 400));
      const rate = a.split('').filter((c) => c === 'F').length / 400;
      assert.ok(rate > 0.2 && rate < 0.4, `rate ${rate}`);
    });
    it('mid-stream faults strike halfway unless told', () => {
      assert.equal(new FaultPlan({ kind: 'midstream' }).atToken(10), 5);
      assert.equal(new FaultPlan({ kind: 'midstream' }).atToken(1), 1);
      assert.equal(new FaultPlan({ kind: 'midstream', atToken: 0 }).atToken(10), 0);
    });
  });

  describe('configuration', () => {
    it('defaults', () => {
      const c = resolveConfig({});
      assert.deepEqual({ mode: c.mode, host: c.host, port: c.port, parallel: c.parallel, maxQueue: c.maxQueue, models: c.models, eosBias: c.eosBias, fault: c.fault },
        { mode: 'llama', host: '127.0.0.1', port: 0, parallel: 1, maxQueue: 512, models: ['tiny:latest'], eosBias: -20, fault: null });
      assert.deepEqual(c.paced, DEFAULT_PACED);
      assert.deepEqual(resolveConfig({ model: 'mid' }).models, ['mid:latest']);
    });
    it('model names get :latest', () => {
      assert.equal(normalizeModelName('tiny'), 'tiny:latest');
      assert.equal(normalizeModelName('ns/tiny:q4'), 'ns/tiny:q4');
      assert.equal(normalizeModelName('host:5000/ns/tiny'), 'host:5000/ns/tiny:latest');
    });
    const bad: [unknown, string][] = [
      [{ mode: 'turbo' }, 'config.mode'], [{ parallel: 0 }, 'config.parallel'], [{ port: 70000 }, 'config.port'],
      [{ fault: { kind: 'meteor' } }, 'config.fault.kind'], [{ paced: { tokensPerSec: 0 } }, 'config.paced.tokensPerSec'],
      [{ colour: 'red' }, 'config.colour'], [{ promptCache: 'yes' }, 'config.promptCache'], [{ paced: { prefillMsPerToken: -1 } }, 'config.paced.prefillMsPerToken'], [{ fault: { kind: 'reset', probability: 2 } }, 'config.fault.probability'],
    ];
    for (const [v, where] of bad) {
      it(`rejects ${JSON.stringify(v)} at ${where}`, () => assert.throws(() => validateConfig(v), (e: unknown) => isChimeraError(e, 'E_BAD_INPUT') && e.where === where));
    }
    it('process flags map onto the same configuration', () => {
      const a = parseEngineArgs(['--mode', 'fault', '--port', '0', '--parallel', '2', '--models', 'a,b:x', '--paced-tps', '250',
        '--fault', 'midstream', '--fault-after-good', '3', '--stdin-lifeline']);
      assert.deepEqual(a.config, { mode: 'fault', port: 0, parallel: 2, models: ['a', 'b:x'], paced: { tokensPerSec: 250 }, fault: { kind: 'midstream', afterGood: 3 } });
      assert.equal(a.stdinLifeline, true);
      assert.deepEqual(parseEngineArgs(['--config-json', '{"mode":"paced","paced":{"tokens":3}}', '--paced-tokens', '4']).config, { mode: 'paced', paced: { tokens: 4 } });
      assert.deepEqual(parseEngineArgs(['--no-prompt-cache', '--think-tokens', '3', '--paced-prefill-ms-per-token', '0.25']).config, { promptCache: false, thinkTokens: 3, paced: { prefillMsPerToken: 0.25 } });
      assert.equal(resolveConfig({}).promptCache, true, 'the prompt cache is on by default, as in Ollama');
      // `chimeraforge engine` maps its flags onto the same configuration (commander gives promptCache false for --no-prompt-cache).
      assert.deepEqual(engineConfigFromCli({ port: '0', host: '127.0.0.1', promptCache: false, thinkTokens: '4', pacedPrefillMsPerToken: '2' }),
        { port: 0, host: '127.0.0.1', promptCache: false, thinkTokens: 4, paced: { prefillMsPerToken: 2 } });
      assert.equal(engineConfigFromCli({ port: '0', host: '127.0.0.1', promptCache: true }).promptCache, undefined, 'default: left to the engine (on)');
      assert.throws(() => parseEngineArgs(['--port', 'abc']), (e: unknown) => isChimeraError(e, 'E_BAD_INPUT'));
      assert.throws(() => parseEngineArgs(['--bogus']), (e: unknown) => isChimeraError(e, 'E_BAD_INPUT'));
    });
  });

  it('timestamps are RFC 3339 with microseconds', () => {
    assert.match(isoMicros(Date.UTC(2025, 0, 2, 3, 4, 5, 678) + 0.9), /^2025-01-02T03:04:05\.678900Z$/);
  });
});
