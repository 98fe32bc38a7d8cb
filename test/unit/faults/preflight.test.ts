// Before anything ran: an endpoint that is down, is not an Ollama server, fails or never answers, or
// lacks a model → CLI exit 3, a message naming the endpoint/model and what to do, and nothing written
// that looks like a result (no TR directory; an existing reports directory is left exactly as it was).
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { EngineHandle } from '../../../engine/api';
import { makeWorkspace, type TestWorkspace } from '../../helpers/workspace';
import { EnginePool } from '../ollama/engineHarness';
import { cli, deadPort, ensureCliBuilt, snapshotTree, treeChanges, writeExperiment } from './helpers';

type Behaviour = 'text404' | 'json500' | 'silent';

/** Small HTTP servers that are not Ollama: a web server's 404 page, a JSON 500, one that never answers. */
async function fakeServer(b: Behaviour): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    if (b === 'text404') res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found');
    else if (b === 'json500') res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"error":"database is locked"}');
    // silent: the request is read and never answered.
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

interface Case {
  name: string;
  endpoint: 'dead' | 'paced' | Behaviour;
  x?: Record<string, unknown>;
  expect: (url: string) => RegExp[];
}

const BASE = { title: 'preflight', kind: 'prompt', model: 'tiny:latest', prompts: ['a'], repetitions: 2, warmup: 0 };

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const CASES: Case[] = [
  {
    name: 'endpoint down (connection refused)', endpoint: 'dead',
    expect: (url) => [new RegExp(`endpoint 'default' \\(${esc(url)}\\) is not reachable`), /what to do: start the server: `ollama serve`/, new RegExp(`chimeraforge engine --port ${new URL(url).port}`)],
  },
  { name: 'model missing', endpoint: 'paced', x: { model: 'gemma3:latest' }, expect: () => [/gemma3:latest/, /ollama pull gemma3:latest/] },
  {
    name: 'one variant\'s model missing (the other is there)', endpoint: 'paced',
    x: { variants: [{ name: 'here', model: 'tiny:latest' }, { name: 'gone', model: 'qwen2.5:7b' }] },
    expect: () => [/qwen2\.5:7b/, /ollama pull qwen2\.5:7b/],
  },
  { name: 'not an Ollama server (a web server\'s 404 page)', endpoint: 'text404', expect: (url) => [new RegExp(`endpoint 'default' \\(${esc(url)}\\): HTTP 404: 404 page not found`)] },
  { name: 'the server answers 500', endpoint: 'json500', expect: (url) => [new RegExp(`endpoint 'default' \\(${esc(url)}\\): HTTP 500: database is locked`)] },
  { name: 'the server never answers', endpoint: 'silent', expect: (url) => [new RegExp(`endpoint 'default' \\(${esc(url)}\\): no response`), /what to do: /] },
];

describe('fault matrix: endpoint or model unavailable before anything ran (CLI exit 3)', function () {
  this.timeout(120_000);
  const pool = new EnginePool();
  const servers: Server[] = [];
  const urls: Partial<Record<Case['endpoint'], string>> = {};
  let paced: EngineHandle;
  let seeded: TestWorkspace;

  before(async () => {
    ensureCliBuilt();
    paced = await pool.start({ mode: 'paced', paced: { ttftMs: 5, tokensPerSec: 500, tokens: 4 } });
    urls.paced = paced.url;
    seeded = makeWorkspace(false);
    const good = writeExperiment(seeded.dir, 'good.experiment.json', BASE);
    assert.equal((await cli(['run', good, '--endpoint', `default=${paced.url}`], seeded.dir)).code, 0);
    urls.dead = `http://127.0.0.1:${await deadPort()}`;
    for (const b of ['text404', 'json500', 'silent'] as const) {
      const s = await fakeServer(b);
      servers.push(s.server);
      urls[b] = s.url;
    }
  });
  after(async () => {
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await pool.stopAll();
  });

  for (const c of CASES) {
    it(`${c.name}: exit 3, says what to do, no TR written`, async () => {
      const url = urls[c.endpoint]!;
      // A reports directory with one finished TR (a copy of the one made once): it must stay exactly as it was.
      const ws = makeWorkspace(false);
      cpSync(seeded.reportsDir, ws.reportsDir, { recursive: true, preserveTimestamps: true });
      const f = writeExperiment(ws.dir, 'x.experiment.json', { ...BASE, ...c.x });
      const before = snapshotTree(ws.dir);
      const r = await cli(['run', f, '--endpoint', `default=${url}`, '--json'], ws.dir);
      assert.equal(r.code, 3, r.stderr);
      for (const re of c.expect(url)) assert.match(r.stderr, re);
      assert.equal(r.stdout, '');
      assert.deepEqual(treeChanges(before, snapshotTree(ws.dir)), []);
    });
  }
});
