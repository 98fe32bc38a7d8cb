// Check Ollama Endpoints, as gathered and worded: a real engine (paced mode), a port nobody listens
// on, and the memory wording for CPU-only, full and partial offload.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { LoadedModel } from '../../../src/core/ollama/endpoint';
import { checkEndpoint, endpointLines, formatBytes, memoryLine } from '../../../src/vscode/endpointReport';
import { EnginePool } from '../ollama/engineHarness';

const loaded = (size: number, vram: number, offload: LoadedModel['offload']): LoadedModel => ({ name: 'm:latest', size, size_vram: vram, offload, partialOffload: offload === 'partial', expires_at: null, context_length: null });

describe('vscode endpoint check: wording', () => {
  const bytes: [number, string][] = [[512, '512 B'], [2048, '2.0 KiB'], [5 * 1024 ** 3, '5.0 GiB'], [150 * 1024 ** 2, '150 MiB']];
  for (const [n, s] of bytes) it(`formatBytes(${n}) = ${s}`, () => assert.equal(formatBytes(n), s));

  const mem: [LoadedModel, string][] = [
    [loaded(4 * 1024 ** 3, 0, 'none'), '4.0 GiB, CPU only (nothing in GPU memory)'],
    [loaded(4 * 1024 ** 3, 4 * 1024 ** 3, 'full'), '4.0 GiB, all in GPU memory'],
    [loaded(4 * 1024 ** 3, 3 * 1024 ** 3, 'partial'), '4.0 GiB, 3.0 GiB in GPU memory (partial offload: 75% on the GPU, the rest on the CPU — slower)'],
  ];
  for (const [m, s] of mem) it(`memoryLine(${m.offload})`, () => assert.equal(memoryLine(m), s));
});

describe('vscode endpoint check: against real servers', () => {
  const pool = new EnginePool();
  after(() => pool.stopAll());

  it('a paced engine: version, its models, and the model loaded after a call', async () => {
    const h = await pool.start({ mode: 'paced', models: ['tiny:latest', 'mid:latest'], paced: { ttftMs: 5, tokensPerSec: 1000, tokens: 4 } });
    const before = await checkEndpoint('default', h.url);
    assert.equal(before.ok, true, before.error);
    assert.match(before.version ?? '', /\d+\.\d+/);
    assert.deepEqual(before.models.map((m) => m.name).sort(), ['mid:latest', 'tiny:latest']);
    const r = await fetch(`${h.url}/api/generate`, { method: 'POST', body: JSON.stringify({ model: 'tiny:latest', prompt: 'hi', stream: false }) });
    assert.equal(r.status, 200);
    const after = await checkEndpoint('default', h.url);
    assert.deepEqual(after.loaded.map((m) => m.name), ['tiny:latest']);
    const lines = endpointLines(after);
    assert.match(lines[0], new RegExp(`^default \\(${h.url.replace(/[.]/g, '\\.')}\\): Ollama \\S+, 2 model\\(s\\) installed, 1 loaded$`));
    assert.ok(lines.some((l) => /^ {2}loaded: tiny:latest — /.test(l)), lines.join('\n'));
  });

  it('a port nobody listens on: not ok, named, with what to do', async () => {
    const port = await new Promise<number>((res) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => res(p));
      });
    });
    const st = await checkEndpoint('b', `http://127.0.0.1:${port}`, 2000);
    assert.equal(st.ok, false);
    assert.match(st.error ?? '', /what to do: /);
    assert.match(endpointLines(st)[0], new RegExp(`^b \\(http://127\\.0\\.0\\.1:${port}\\): unreachable or not Ollama — `));
  });
});
