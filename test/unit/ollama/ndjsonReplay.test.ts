// Real-Ollama NDJSON transcripts (test/fixtures/ollama-ndjson/) replayed through the gateway: the
// official ollama-js client over the observing fetch (src/core/ollama), as every built-in kind calls.
// The replay server is a named fake: nothing real sends a fixed transcript; it writes the file's lines
// 15 ms apart with Ollama's headers, so the harness sees them as it would see a real Ollama's stream.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { callModel, type CallResult } from '../../../src/core/ollama/call';
import { createGatewayClient } from '../../../src/core/ollama/client';
import { systemClock } from '../../../src/core/ports';

const DIR = join(__dirname, '../../fixtures/ollama-ndjson');
const GAP_MS = 15;
const linesOf = (file: string): string[] => readFileSync(join(DIR, file), 'utf8').split('\n').filter((l) => l.trim() !== '');

/** A fake Ollama that answers every generate/chat request with one transcript, line by line. */
async function replayServer(file: string): Promise<{ url: string; server: Server; requests: Record<string, unknown>[] }> {
  const lines = linesOf(file);
  const requests: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      requests.push(JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, unknown>);
      // Like Ollama: status and headers leave with the first chunk.
      lines.forEach((line, i) => setTimeout(() => {
        if (i === 0) res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        res.write(`${line}\n`);
        if (i === lines.length - 1) res.end();
      }, GAP_MS * (i + 1)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests };
}

async function replay(file: string, api: 'generate' | 'chat', model: string): Promise<CallResult> {
  const s = await replayServer(file);
  const client = createGatewayClient({ url: s.url, clock: systemClock });
  try {
    return await callModel({
      client, stage: 'replay', model, api, stream: true, timeoutMs: 5000, runStartMs: systemClock.now(),
      ...(api === 'chat' ? { messages: [{ role: 'user', content: 'pick a colour' }] } : { prompt: 'why is the sky blue?' }),
    });
  } finally {
    client.abort();
    await new Promise<void>((r) => s.server.close(() => r()));
  }
}

describe('real-Ollama NDJSON transcripts replayed through the gateway', function () {
  this.timeout(30_000);

  it('thinking model: reasoning kept apart from the answer, counted; ttft_ms at the first thinking chunk, ttft_answer_ms at the first answer chunk', async () => {
    const { record, text, thinking } = await replay('thinking-chat.ndjson', 'chat', 'qwen3:8b');
    assert.equal(record.status, 'ok', record.error?.message);
    assert.equal(text, 'Blue.');
    assert.equal(thinking, 'Okay, the user wants a colour.');
    assert.equal(record.textChars, 5);
    assert.equal(record.thinkingChars, thinking.length);
    // 8 thinking chunks then 2 answer chunks: every chunk with a token is timed, the answer starts at the 9th.
    assert.equal(record.client.chunkMs.length, 10);
    assert.equal(record.metrics!.ttft_ms, record.client.chunkMs[0]);
    assert.equal(record.metrics!.ttft_answer_ms, record.client.chunkMs[8]);
    assert.ok(record.metrics!.ttft_answer_ms! > record.metrics!.ttft_ms!, 'the answer came after the reasoning');
    assert.equal(record.server!.eval_count, 10, 'plumbing check: eval_count counts thinking and answer tokens');
  });

  it('prompt-cache hit: prompt_cached_tokens from prompt_eval_cached_count; prompt_eval_ms covers the new tokens only', async () => {
    const { record, text } = await replay('cache-hit-generate.ndjson', 'generate', 'llama3.2:3b');
    assert.equal(record.status, 'ok', record.error?.message);
    assert.equal(text, 'The sky is blue.');
    assert.equal(record.server!.prompt_eval_cached_count, 405);
    assert.equal(record.metrics!.prompt_cached_tokens, 405);
    assert.equal(record.server!.prompt_eval_count, 412);
    assert.equal(record.metrics!.prompt_eval_ms, 11.208671);
    assert.equal(record.metrics!.load_ms, 9.981333);
    assert.equal(record.metrics!.cold, false);
    assert.equal(record.client.chunkMs.length, 5);
  });

  it('an error line mid-stream: a failed call with the server\'s message, the chunks before it kept', async () => {
    const { record, text } = await replay('midstream-error-chat.ndjson', 'chat', 'llama3.1:8b');
    assert.equal(record.status, 'failed');
    assert.equal(record.error!.code, 'E_MIDSTREAM');
    assert.match(record.error!.message, /an error was encountered while running the model: unexpected EOF/);
    assert.match(record.error!.message, /model 'llama3\.1:8b'/);
    assert.equal(text, 'Here are three', 'what arrived before the error is kept');
    assert.equal(record.client.chunkMs.length, 3);
    assert.equal(record.server, null, 'no done line: no server fields');
  });
});
