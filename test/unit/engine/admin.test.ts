// The control routes (/_chimeraforge/config, /_chimeraforge/stats) are for the process that started the
// engine: without its per-process token, or with an Origin header (a web page), they answer 403 and
// change nothing. A hand-started engine has a token nobody knows; the token never appears in its output.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startEngine, type EngineHandle } from '../../../engine/api';
import { ensureEngineBundle } from './helpers';

const CONFIG = '/_chimeraforge/config';
const STATS = '/_chimeraforge/stats';
const HEADER = 'x-chimeraforge-admin-token';

function post(url: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${url}${CONFIG}`, { method: 'POST', body: JSON.stringify({ mode: 'fault', fault: { kind: 'http500' } }), headers: { 'Content-Type': 'application/json', ...headers } });
}

describe('engine control routes: token and no Origin', function () {
  this.timeout(60_000);
  let e: EngineHandle;
  const logs: string[] = [];
  before(async () => {
    ensureEngineBundle();
    e = await startEngine({ mode: 'paced' }, { onLog: (l) => logs.push(l) });
  });
  after(async () => {
    await e?.stop();
  });

  it('refuse a POST without the token, with a wrong one, and with the token plus an Origin header — the mode stays', async () => {
    const wrong = e.adminToken.replace(/./g, (c) => (c === 'a' ? 'b' : 'a'));
    for (const [why, headers] of [
      ['no token', {}],
      ['wrong token', { [HEADER]: wrong }],
      ['token and Origin', { [HEADER]: e.adminToken, Origin: 'https://evil.example' }],
      ['Origin only', { Origin: 'null' }],
    ] as const) {
      const res = await post(e.url, headers);
      assert.equal(res.status, 403, why);
      const body = (await res.json()) as { error: string };
      assert.match(body.error, why.includes('Origin') ? /Origin header/ : /admin token/, why);
    }
    assert.equal((await e.stats()).mode, 'paced', 'nothing was reconfigured');
  });

  it('refuse stats without the token; the handle (token, no Origin) may do both', async () => {
    assert.equal((await fetch(`${e.url}${STATS}`)).status, 403);
    const ok = await post(e.url, { [HEADER]: e.adminToken });
    assert.equal(ok.status, 200);
    assert.equal((await e.stats()).mode, 'fault');
    await e.configure({ mode: 'paced', fault: null });
    assert.equal((await e.stats()).mode, 'paced');
  });

  it('the token is in no log line the engine wrote', () => {
    assert.ok(logs.length > 0);
    assert.ok(logs.every((l) => !l.includes(e.adminToken)));
  });

  it('a hand-started engine (no token given) prints none and refuses the control routes', async () => {
    const child = spawn(process.execPath, [resolve('dist', 'engine.mjs'), '--mode', 'paced', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((res, rej) => {
        createInterface({ input: child.stdout }).once('line', res);
        child.once('exit', (code) => rej(new Error(`engine exited ${code}`)));
      });
      const listening = JSON.parse(line) as Record<string, unknown>;
      assert.equal(listening.event, 'listening');
      assert.ok(!/token/i.test(line), line);
      const url = String(listening.url);
      assert.equal((await post(url, {})).status, 403);
      assert.equal((await post(url, { [HEADER]: e.adminToken })).status, 403, "another engine's token does not open it");
      assert.equal((await fetch(`${url}/api/version`)).status, 200, 'the Ollama API stays open');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
