// The chimeraforge command as a user runs it: exit codes of PRODUCT.md §8, files left behind by a
// cancel (SIGINT) and by a crash (kill -9). Runs dist/cli.js (npm test builds first).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { cli, CLI, requireBuiltCli } from '../../helpers/cli';
import { closedPortUrl, makeWorkspace } from '../../helpers/workspace';


function writeExperiment(dir: string, name: string, x: object): string {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(x, null, 2));
  return f;
}

describe('chimeraforge CLI', function () {
  this.timeout(180_000);
  let paced: EngineHandle;
  before(async function () {
    requireBuiltCli();
    paced = await startEngine({ mode: 'paced', paced: { ttftMs: 20, tokensPerSec: 200, tokens: 20 } });
  });
  after(async () => paced?.stop());

  it('run: exit 0, a complete TR, and --json prints one result object', () => {
    const ws = makeWorkspace(false);
    const f = writeExperiment(ws.dir, 'a.experiment.json', { title: 'cli ok', kind: 'prompt', model: 'tiny:latest', prompts: ['hi'], repetitions: 2, warmup: 1 });
    const r = cli(['run', f, '--endpoint', `default=${paced.url}`, '--json'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { trId: string; status: string; counts: { completed: number } };
    assert.deepEqual([out.trId, out.status, out.counts.completed], ['TR1', 'complete', 3]);
    assert.match(r.stderr, /TR1: complete — 3\/3 runs/);
    const list = cli(['list', '--json'], ws.dir);
    assert.equal((JSON.parse(list.stdout) as { id: string; status: string }[])[0].status, 'complete');
  });

  it('bad input: exit 2 with file and JSON path; nothing written', () => {
    const ws = makeWorkspace(false);
    const f = writeExperiment(ws.dir, 'bad.experiment.json', { title: 'x', kind: 'prompt', prompts: ['a'], repetitions: -1, variants: [] });
    const r = cli(['run', f], ws.dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.experiment\.json is not a valid experiment \(2 problems\)/);
    assert.match(r.stderr, /- repetitions: must be >= 1 \(got -1\)/);
    assert.match(r.stderr, /- variants: must NOT have fewer than 1 items/);
    assert.equal(existsSync(ws.reportsDir), false);
    const j = writeExperiment(ws.dir, 'j.experiment.json', {});
    writeFileSync(j, '{ "title": "x", ');
    assert.equal(cli(['run', j], ws.dir).code, 2);
    assert.equal(cli(['run', f, '--tr', '../TR1'], ws.dir).code, 2);
    assert.equal(cli(['run', join(ws.dir, 'missing.json')], ws.dir).code, 2);
    assert.equal(cli(['run', f, '--endpoint', 'nourl'], ws.dir).code, 2);
  });

  it('endpoint down or model missing before anything ran: exit 3 with what to do', async () => {
    const ws = makeWorkspace(false);
    const f = writeExperiment(ws.dir, 'a.experiment.json', { title: 'x', kind: 'prompt', model: 'gemma3:latest', prompts: ['a'] });
    const missing = cli(['run', f, '--endpoint', `default=${paced.url}`], ws.dir);
    assert.equal(missing.code, 3, missing.stderr);
    assert.match(missing.stderr, /ollama pull gemma3:latest/);
    const closed = await closedPortUrl();
    const down = cli(['run', f, '--endpoint', `default=${closed}`], ws.dir);
    assert.equal(down.code, 3, down.stderr);
    assert.ok(down.stderr.includes(new URL(closed).host), down.stderr);
    assert.equal(existsSync(ws.reportsDir), false);
  });

  it('runs that fail make exit 1, and the experiment continues past them', async () => {
    const faulty = await startEngine({ mode: 'fault', fault: { kind: 'http500', afterGood: 2, count: 1 }, paced: { ttftMs: 5, tokensPerSec: 500, tokens: 5 } });
    try {
      const ws = makeWorkspace(false);
      const f = writeExperiment(ws.dir, 'a.experiment.json', { title: 'x', kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 4, warmup: 0, retry: { attempts: 0 } });
      const r = cli(['run', f, '--endpoint', `default=${faulty.url}`, '--json'], ws.dir);
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout) as { status: string; counts: { completed: number; failed: number } };
      assert.deepEqual([out.status, out.counts.completed, out.counts.failed], ['failed', 4, 1]);
    } finally {
      await faulty.stop();
    }
  });

  it('SIGINT: exit 130 and a valid cancelled TR', async () => {
    const ws = makeWorkspace(false);
    const f = writeExperiment(ws.dir, 'a.experiment.json', { title: 'x', kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 50, warmup: 0 });
    const p = spawn(process.execPath, [CLI, 'run', f, '--endpoint', `default=${paced.url}`], { cwd: ws.dir });
    let err = '';
    let sent = false;
    p.stderr.on('data', (d: Buffer) => {
      err += d;
      if (!sent && /run 3\/50/.test(err)) {
        sent = true;
        p.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((res) => p.on('exit', (c) => res(c)));
    assert.equal(code, 130, err);
    const meta = JSON.parse(readFileSync(join(ws.reportsDir, 'TR1', 'meta.json'), 'utf8')) as { status: string; counts: { completed: number } };
    assert.equal(meta.status, 'cancelled');
    const lines = readFileSync(join(ws.reportsDir, 'TR1', 'runs.jsonl'), 'utf8').trim().split('\n');
    assert.ok(lines.length >= 3 && lines.length < 50);
    for (const l of lines) JSON.parse(l);
  });

  it('kill -9 mid-run: finished runs intact, list shows interrupted', async () => {
    const ws = makeWorkspace(false);
    const f = writeExperiment(ws.dir, 'a.experiment.json', { title: 'x', kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 50, warmup: 0 });
    const p = spawn(process.execPath, [CLI, 'run', f, '--endpoint', `default=${paced.url}`], { cwd: ws.dir });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      err += d;
      if (/run 4\/50/.test(err)) p.kill('SIGKILL');
    });
    await new Promise((res) => p.on('exit', res));
    const lines = readFileSync(join(ws.reportsDir, 'TR1', 'runs.jsonl'), 'utf8').trim().split('\n');
    assert.ok(lines.length >= 4, `${lines.length} runs kept`);
    for (const l of lines) assert.equal((JSON.parse(l) as { status: string }).status, 'ok');
    const list = cli(['list'], ws.dir);
    assert.match(list.stdout, /^TR1\s+interrupted\s+prompt/m);
  });
});
