import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChimeraError } from '../../../src/core/errors';
import { systemClock } from '../../../src/core/ports';
import { fillCommand, fillPlaceholders, type PlaceholderValues } from '../../../src/core/runner/process/placeholders';
import { parseStat, parseStatusMemory, PROC_SAMPLE_INTERVAL_MS } from '../../../src/core/runner/process/procSampler';
import { COMMAND_METRIC_DEFINITIONS } from '../../../src/core/metrics/definitions';
import { parseSelfReport } from '../../../src/core/runner/process/selfReport';
import { callInvalidReason } from '../../../src/core/runner/validity';
import type { CallRecord } from '../../../src/core/types';
import { runProcess, TAIL_CHARS, type ProcessOptions } from '../../../src/core/runner/process/spawn';

const values: PlaceholderValues = {
  model: 'tiny:latest', endpoint: 'http://127.0.0.1:5555', options_json: '{"num_ctx":512}', run_dir: '/r/run3',
  workspace: '/ws', variant: 'py@chimera', implementation: 'py', run: '3',
};
const node = process.execPath;
const run = (argv: string[], extra: Partial<ProcessOptions> = {}): ReturnType<typeof runProcess> =>
  runProcess({ argv, cwd: process.cwd(), env: process.env, signal: new AbortController().signal, limitMs: 60_000, clock: systemClock, ...extra });

describe('placeholders', () => {
  const table: [string, string][] = [
    ['--model=${model}', '--model=tiny:latest'],
    ['${endpoint}/api', 'http://127.0.0.1:5555/api'],
    ['${options_json}', '{"num_ctx":512}'],
    ['${run_dir}/out ${variant} ${implementation} ${run} ${workspace}', '/r/run3/out py@chimera py 3 /ws'],
    ['$(echo hi); rm -rf / `id` $HOME', '$(echo hi); rm -rf / `id` $HOME'],
    ['$${model} stays', '${model} stays'],
    ['', ''],
  ];
  for (const [input, expected] of table) {
    it(`fills ${JSON.stringify(input)}`, () => assert.equal(fillPlaceholders(input, values, 'argv[1]'), expected));
  }

  it('refuses an unknown placeholder, naming where it is', () => {
    assert.throws(() => fillPlaceholders('--x=${HOME}', values, 'implementations[py].argv[2]'), (e: unknown) =>
      e instanceof ChimeraError && e.code === 'E_BAD_INPUT' && e.message.includes('${HOME}') && e.where === 'implementations[py].argv[2]');
  });

  it('fills argv, env and cwd; a relative cwd resolves against the workspace', () => {
    const c = fillCommand({ name: 'py', argv: ['python3', 'agent.py', '--base-url', '${endpoint}'], cwd: 'agents/${implementation}', env: { OUT: '${run_dir}' } }, values, '/ws');
    assert.deepEqual(c, { argv: ['python3', 'agent.py', '--base-url', 'http://127.0.0.1:5555'], cwd: '/ws/agents/py', env: { OUT: '/r/run3' } });
    assert.equal(fillCommand({ name: 'a', argv: ['x'], cwd: '/abs' }, values, '/ws').cwd, '/abs');
    assert.equal(fillCommand({ name: 'a', argv: ['x'] }, values, '/ws').cwd, '/ws');
    assert.throws(() => fillCommand({ name: 'a', argv: [] }, values, '/ws'), (e: unknown) => e instanceof ChimeraError && e.code === 'E_BAD_INPUT');
  });
});

describe('/proc parsing', () => {
  it('reads ppid, state and CPU ticks after the last parenthesis of comm', () => {
    const stat = '4242 (we (ird) name) S 17 4242 4242 0 -1 4194560 100 0 0 0 31 9 4 6 20 0 1 0 81070 3133440 414';
    assert.deepEqual(parseStat(stat), { state: 'S', ppid: 17, ticks: 31 + 9 + 4 + 6 });
    assert.equal(parseStat('garbage'), null);
  });
  it('reads VmRSS and VmHWM in kB, 0 when absent (zombie)', () => {
    assert.deepEqual(parseStatusMemory('Name:\tnode\nVmHWM:\t   51200 kB\nVmRSS:\t   40960 kB\n'), { rssKb: 40960, hwmKb: 51200 });
    assert.deepEqual(parseStatusMemory('Name:\tx\nState:\tZ (zombie)\n'), { rssKb: 0, hwmKb: 0 });
  });
  it('the metric definitions and the contract state the sampling interval in use', () => {
    for (const name of ['peak_rss_mb', 'cpu_ms']) assert.match(COMMAND_METRIC_DEFINITIONS[name], new RegExp(`every ${PROC_SAMPLE_INTERVAL_MS} ms`));
    assert.match(readFileSync(join(__dirname, '../../../docs/IMPLEMENTATIONS.md'), 'utf8'), new RegExp(`sampled every ${PROC_SAMPLE_INTERVAL_MS} ms`));
  });
});

describe('self-reported calls', () => {
  const ctx = { endpointName: 'default', url: 'http://e:1', runStartMs: 1000 };
  it('turns a {"chimeraforge":"call"} line into a call record', () => {
    const line = JSON.stringify({ chimeraforge: 'call', stage: 'analysis', model: 'm', options: { num_ctx: 512 }, stream: true, headers_ms: 2, first_token_ms: 50, end_ms: 250, chunk_ms: [50, 100, 250], text_chars: 30, final: { eval_count: 40, eval_duration: 4e8, load_duration: 0, prompt_eval_count: 10, prompt_eval_duration: 2e7, total_duration: 5e8, done_reason: 'stop' } });
    const rec = parseSelfReport(line, 1500, ctx, 1);
    assert.ok(rec && typeof rec === 'object');
    assert.equal(rec.stage, 'analysis');
    assert.equal(rec.status, 'ok');
    assert.deepEqual(rec.options, { num_ctx: 512 });
    assert.equal(rec.client.sendOffsetMs, 250);
    assert.deepEqual(rec.client.chunkMs, [50, 100, 250]);
    assert.equal(rec.metrics?.decode_tps, 100);
    assert.equal(rec.metrics?.ttft_ms, 50);
    assert.equal(rec.server?.load_duration, 0);
  });
  const table: [string, unknown][] = [
    ['plain text', null],
    ['{"other":"json"}', null],
    ['{"chimeraforge":"progress","model":"m","end_ms":1}', null],
    ['{"chimeraforge":"call","end_ms":5}', 'string'],
    ['{"chimeraforge":"call","model":"m"}', 'string'],
  ];
  for (const [line, expected] of table) {
    it(`ignores or rejects ${line}`, () => {
      const r = parseSelfReport(line, 0, ctx, 1);
      assert.equal(expected === 'string' ? typeof r : r, expected);
    });
  }
  it('without text_chars: text length unknown (null), emptiness judged by eval_count alone', () => {
    const final = (evalCount: number) => ({ eval_count: evalCount, eval_duration: 4e8, load_duration: 0, prompt_eval_count: 10, prompt_eval_duration: 2e7, total_duration: 5e8, done_reason: 'stop' });
    const parse = (extra: Record<string, unknown>) => parseSelfReport(JSON.stringify({ chimeraforge: 'call', stage: 'a', model: 'm', end_ms: 250, ...extra }), 1500, ctx, 1) as CallRecord;
    const unknown = parse({ final: final(40) });
    assert.equal(unknown.textChars, null);
    assert.equal(callInvalidReason(unknown), null);
    assert.match(callInvalidReason(parse({ final: final(0) })) ?? '', /^empty output: a returned no tokens/);
    // A program that says it produced no text is still believed.
    assert.match(callInvalidReason(parse({ final: final(40), text_chars: 0 })) ?? '', /^empty output/);
  });
  it('records a reported failure with its code', () => {
    const r = parseSelfReport('{"chimeraforge":"call","model":"m","end_ms":9,"status":"failed","error":"boom","error_code":"E_TIMEOUT"}', 0, ctx, 2);
    assert.ok(r && typeof r === 'object');
    assert.equal(r.stage, 'call2');
    assert.equal(r.status, 'failed');
    assert.equal(r.error?.code, 'E_TIMEOUT');
  });
});

describe('process runner', function () {
  this.timeout(60_000);

  it('never uses a shell: shell syntax arrives literally', async () => {
    const tricky = ['$(echo hi)', '`id`', 'a; echo injected', '$HOME', '*', '"quoted"'];
    const r = await run([node, '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...tricky]);
    assert.equal(r.endReason, 'exit');
    assert.equal(r.exitCode, 0);
    assert.deepEqual(JSON.parse(r.stdoutTail), tricky);
  });

  it('reports a program that does not exist (ENOENT) and one that exits non-zero', async () => {
    const missing = await run(['/nonexistent/agent-binary', '--x']);
    assert.equal(missing.endReason, 'spawn-error');
    assert.equal(missing.spawnError?.code, 'ENOENT');
    assert.equal(missing.proc, null);
    const bad = await run([node, '-e', 'console.error("cannot reach model"); process.exit(3)']);
    assert.equal(bad.endReason, 'exit');
    assert.equal(bad.exitCode, 3);
    assert.match(bad.stderrTail, /cannot reach model/);
  });

  it('keeps the last 4 KB of output and hands each stdout line over', async () => {
    const lines: string[] = [];
    const r = await run([node, '-e', 'for (let i = 0; i < 2000; i++) console.log("line " + i)'], { onStdoutLine: (l) => lines.push(l) });
    assert.equal(lines.length, 2000);
    assert.equal(lines[1999], 'line 1999');
    assert.equal(r.stdoutTail.length, TAIL_CHARS);
    assert.ok(r.stdoutTail.endsWith('line 1999\n'));
  });

  it('cancel stops the program (SIGTERM, then SIGKILL for one that ignores it)', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const r = await run([node, '-e', 'setInterval(() => {}, 1000)'], { signal: ac.signal });
    assert.equal(r.endReason, 'cancelled');
    assert.equal(r.signal, 'SIGTERM');

    const ac2 = new AbortController();
    const stubborn = run([node, '-e', 'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)'], {
      signal: ac2.signal, graceMs: 300, onStdoutLine: (l) => { if (l === 'ready') ac2.abort(); },
    });
    const r2 = await stubborn;
    assert.equal(r2.endReason, 'cancelled');
    assert.equal(r2.signal, 'SIGKILL');
  });

  it('stops a program that runs past its limit', async () => {
    const r = await run([node, '-e', 'setInterval(() => {}, 1000)'], { limitMs: 400 });
    assert.equal(r.endReason, 'timeout');
    assert.ok(r.exitAtMs - r.spawnAtMs >= 400);
  });

  it('measures peak RSS of the process tree and CPU time', async function () {
    if (process.platform !== 'linux') this.skip();
    const plain = await run([node, '-e', 'setTimeout(() => {}, 300)']);
    assert.ok(plain.proc && plain.proc.samples > 0);
    assert.ok(plain.proc.peakRssMb! > 10 && plain.proc.peakRssMb! < 300, `node RSS ${plain.proc.peakRssMb} MiB`);

    // A child that touches 120 MiB: the tree's peak must include it.
    const child = 'const b = Buffer.alloc(120 * 1048576, 1); setTimeout(() => b.length, 600)';
    const tree = await run([node, '-e', `require("child_process").spawnSync(process.execPath, ["-e", ${JSON.stringify(child)}], { stdio: "inherit" })`]);
    assert.ok(tree.proc!.maxProcesses >= 2);
    assert.ok(tree.proc!.peakRssMb! >= 120 + plain.proc.peakRssMb! * 0.5, `tree RSS ${tree.proc!.peakRssMb} MiB`);

    // 400 ms of CPU by the program's own account, then idle so a sample sees the total.
    const busy = 'const s = process.cpuUsage(); while (true) { const u = process.cpuUsage(s); if (u.user + u.system > 400000) break; } setTimeout(() => {}, 300)';
    const cpu = await run([node, '-e', busy]);
    assert.ok(cpu.proc!.cpuMs! >= 400, `cpu ${cpu.proc!.cpuMs} ms`);
    assert.ok(cpu.proc!.cpuMs! > plain.proc.cpuMs!);
  });

  it('kills what the program left running when it exits', async () => {
    const r = await run([node, '-e', 'const c = require("child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" }); console.log(c.pid); process.exit(0)']);
    const pid = Number(r.stdoutTail.trim());
    assert.ok(pid > 0);
    await new Promise((res) => setTimeout(res, 200));
    // Gone, or a zombie waiting for init to reap it (this machine's pid 1 is slow to): not running either way.
    let state = 'gone';
    try {
      state = parseStat(readFileSync(`/proc/${pid}/stat`, 'latin1'))?.state ?? 'gone';
    } catch {
      state = 'gone';
    }
    assert.ok(state === 'gone' || state === 'Z', `leftover child state ${state}`);
  });
});
