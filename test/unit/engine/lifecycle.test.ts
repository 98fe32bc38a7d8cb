// No leaked processes: stop() waits for exit, children die with their parent (exit hook, stdin lifeline);
// `chimeraforge engine` serves the official client on a given port, two instances at once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { Ollama } from 'ollama';
import { startEngine } from '../../../engine/api';
import { ensureEngineBundle } from './helpers';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const end = Date.now() + withinMs;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Runs a node script (tsx) that starts an engine, reports its pid, then dies the given way. */
function parentThatDies(how: 'exit' | 'sigkill'): Promise<{ parent: ChildProcess; enginePid: number }> {
  const script = `
    const { startEngine } = require(${JSON.stringify(require.resolve('../../../engine/api'))});
    startEngine({ mode: 'paced' }, { lifeline: ${JSON.stringify(how)} !== 'exit' }).then((h) => {
      console.log(JSON.stringify({ enginePid: h.pid }));
      if (${JSON.stringify(how)} === 'exit') setTimeout(() => process.exit(0), 100);
      else setInterval(() => {}, 1000);
    });`;
  const parent = spawn(process.execPath, ['--import=tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: parent.stdout! }).once('line', (l) => resolve({ parent, enginePid: (JSON.parse(l) as { enginePid: number }).enginePid }));
    parent.once('exit', (code) => reject(new Error(`parent exited early (${code})`)));
  });
}

describe('engine lifecycle', function () {
  this.timeout(90_000);
  before(ensureEngineBundle);

  it('stop() ends the process and resolves after it exited; a second stop() is harmless', async () => {
    const e = await startEngine({ mode: 'paced' });
    assert.ok(alive(e.pid));
    assert.equal((await fetch(e.url)).status, 200);
    await e.stop();
    assert.equal(alive(e.pid), false);
    await e.stop();
    await assert.rejects(fetch(e.url));
  });

  it('a parent that calls process.exit takes its engines with it (exit hook, lifeline off)', async () => {
    const { parent, enginePid } = await parentThatDies('exit');
    assert.ok(await new Promise<boolean>((r) => parent.once('exit', () => r(true))));
    assert.ok(await gone(enginePid, 3_000), `engine ${enginePid} outlived its parent`);
  });

  it('a parent killed with SIGKILL takes its engines with it (stdin lifeline)', async () => {
    const { parent, enginePid } = await parentThatDies('sigkill');
    assert.ok(alive(enginePid));
    parent.kill('SIGKILL');
    assert.ok(await gone(enginePid, 5_000), `engine ${enginePid} outlived its killed parent`);
  });

  it('a bad configuration fails the start with the engine\'s message', async () => {
    await assert.rejects(startEngine({ mode: 'paced', host: 'no-such-host.invalid' }, { startTimeoutMs: 20_000 }), (err: Error & { code?: string; details?: string[] }) => {
      assert.equal(err.code, 'E_INTERNAL');
      assert.ok(err.details?.some((l) => /ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(l)), JSON.stringify(err.details));
      return true;
    });
  });

  it('chimeraforge engine --port N: the official client lists, generates (streamed), chats, gets 404; a second instance runs beside it', async () => {
    const ports = [await freePort(), await freePort()];
    const procs = ports.map((p) => spawn(process.execPath, ['dist/cli.js', 'engine', '--port', String(p)], { stdio: ['ignore', 'pipe', 'pipe'] }));
    try {
      const urls = await Promise.all(procs.map((p) => new Promise<string>((resolve, reject) => {
        createInterface({ input: p.stdout! }).once('line', (l) => resolve((JSON.parse(l) as { url: string }).url));
        p.once('exit', (code) => reject(new Error(`chimeraforge engine exited (${code})`)));
      })));
      assert.deepEqual(urls, ports.map((p) => `http://127.0.0.1:${p}`));
      await Promise.all(urls.map(async (url) => {
        const c = new Ollama({ host: url });
        assert.equal((await c.list()).models[0].name, 'tiny:latest');
        let final: Record<string, unknown> | undefined;
        for await (const part of await c.generate({ model: 'tiny', prompt: 'hi', stream: true, options: { num_predict: 8 } })) if (part.done) final = part as unknown as Record<string, unknown>;
        for (const k of ['total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration']) assert.ok((final?.[k] as number) > 0, k);
        assert.ok((await c.chat({ model: 'tiny', messages: [{ role: 'user', content: 'hi' }], options: { num_predict: 4 } })).message.content.length > 0);
        await assert.rejects(c.generate({ model: 'missing', prompt: 'x' }), (err: { status_code?: number }) => err.status_code === 404);
      }));
      const exits = procs.map((p) => new Promise<number | null>((r) => p.once('exit', (code) => r(code))));
      for (const p of procs) p.kill('SIGINT');
      assert.deepEqual(await Promise.all(exits), [0, 0], 'Ctrl-C stops it cleanly');
    } finally {
      for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    }
  });
});
