// Ollama's OpenAI-compatible routes (/v1/chat/completions, /v1/completions; openai/openai.go): the request
// is translated to /api/chat or /api/generate and sent to this same server over loopback, and its NDJSON
// answer is translated back (SSE when streamed), as Ollama's middleware wraps its own handlers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomInt } from 'node:crypto';
import { HttpError } from './protocol';

type Obj = Record<string, unknown>;
export type OpenAiRoute = 'chat' | 'completions';

function openAiError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) { res.end(); return; }
  const body = JSON.stringify({ error: { message, type: status === 404 ? 'not_found_error' : status >= 500 ? 'api_error' : 'invalid_request_error', param: null, code: null } });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The Ollama request body for an OpenAI one (options as Ollama's openai.go maps them). */
export function toOllama(route: OpenAiRoute, b: Obj): Obj {
  if (typeof b.model !== 'string' || b.model === '') throw new HttpError(400, 'model is required');
  const options: Obj = {};
  const copy: [string, string][] = [['max_tokens', 'num_predict'], ['max_completion_tokens', 'num_predict'], ['temperature', 'temperature'],
    ['top_p', 'top_p'], ['seed', 'seed'], ['frequency_penalty', 'frequency_penalty'], ['presence_penalty', 'presence_penalty']];
  for (const [from, to] of copy) if (typeof b[from] === 'number') options[to] = b[from];
  if (typeof b.stop === 'string') options.stop = [b.stop];
  else if (Array.isArray(b.stop)) options.stop = b.stop;
  const rf = b.response_format as { type?: string; json_schema?: { schema?: unknown } } | undefined;
  const format = rf?.type === 'json_object' ? 'json' : rf?.type === 'json_schema' ? rf.json_schema?.schema : undefined;
  const common = { model: b.model, stream: b.stream === true, options, ...(format !== undefined ? { format } : {}) };
  if (route === 'chat') {
    if (!Array.isArray(b.messages) || b.messages.length === 0) throw new HttpError(400, '[] is too short - \'messages\'');
    return { ...common, messages: b.messages, ...(Array.isArray(b.tools) ? { tools: b.tools } : {}) };
  }
  if (typeof b.prompt !== 'string') throw new HttpError(400, 'prompt is required');
  return { ...common, prompt: b.prompt };
}

/** OpenAI tool_calls from Ollama's message.tool_calls (arguments as a JSON string). */
function callsOf(msg: Obj): Obj[] | undefined {
  if (!Array.isArray(msg.tool_calls)) return undefined;
  return (msg.tool_calls as { function: Obj }[]).map((c, i) => ({ id: `call_${i}`, index: i, type: 'function',
    function: { name: c.function.name, arguments: JSON.stringify(c.function.arguments) } }));
}

function finishReason(final: Obj, toolCalls: boolean): string {
  if (toolCalls) return 'tool_calls';
  return final.done_reason === 'length' ? 'length' : 'stop';
}

function usage(final: Obj): Obj {
  const p = Number(final.prompt_eval_count ?? 0);
  const c = Number(final.eval_count ?? 0);
  return { prompt_tokens: p, completion_tokens: c, total_tokens: p + c };
}

/** Serves one OpenAI-compatible request through this server's own Ollama route at `self`. */
export async function handleOpenAi(route: OpenAiRoute, body: unknown, self: string, res: ServerResponse, req: IncomingMessage): Promise<void> {
  const b = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Obj;
  let ollama: Obj;
  try {
    ollama = toOllama(route, b);
  } catch (e) {
    return openAiError(res, e instanceof HttpError ? e.status : 400, e instanceof Error ? e.message : String(e));
  }
  const ac = new AbortController();
  req.on('close', () => { if (!res.writableFinished) ac.abort(); });
  const upstream = await fetch(`${self}${route === 'chat' ? '/api/chat' : '/api/generate'}`, {
    method: 'POST', body: JSON.stringify(ollama), headers: { 'Content-Type': 'application/json' }, signal: ac.signal,
  });
  if (!upstream.ok) {
    const err = (await upstream.json().catch(() => ({}))) as { error?: string };
    return openAiError(res, upstream.status, err.error ?? `HTTP ${upstream.status}`);
  }
  const id = `${route === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomInt(1000)}`;
  const created = Math.floor(Date.now() / 1000);
  const object = route === 'chat' ? 'chat.completion' : 'text_completion';
  const base = { id, object, created, model: ollama.model, system_fingerprint: 'fp_ollama' };
  if (ollama.stream !== true) {
    const o = (await upstream.json()) as Obj;
    const msg = (o.message ?? {}) as Obj;
    const calls = callsOf(msg);
    const choice = route === 'chat'
      ? { index: 0, message: { role: 'assistant', content: msg.content ?? '', ...(msg.thinking ? { reasoning: msg.thinking } : {}), ...(calls ? { tool_calls: calls } : {}) }, finish_reason: finishReason(o, calls !== undefined) }
      : { text: o.response ?? '', index: 0, finish_reason: finishReason(o, false) };
    const text = JSON.stringify({ ...base, choices: [choice], usage: usage(o) });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  const includeUsage = (b.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  const chunkObject = route === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  const send = (o: Obj): void => {
    if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.write(`data: ${JSON.stringify({ ...base, object: chunkObject, ...o })}\n\n`);
  };
  let buf = '';
  let sawCalls = false;
  const decoder = new TextDecoder();
  for await (const part of upstream.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(part, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line === '') continue;
      const o = JSON.parse(line) as Obj;
      if (typeof o.error === 'string') { send({ error: { message: o.error } }); continue; }
      const msg = (o.message ?? {}) as Obj;
      const calls = callsOf(msg);
      if (calls) sawCalls = true;
      if (o.done !== true) {
        send({ choices: [route === 'chat'
          ? { index: 0, delta: { role: 'assistant', content: msg.content ?? '', ...(msg.thinking ? { reasoning: msg.thinking } : {}), ...(calls ? { tool_calls: calls } : {}) }, finish_reason: null }
          : { text: o.response ?? '', index: 0, finish_reason: null }] });
        continue;
      }
      send({ choices: [route === 'chat' ? { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: finishReason(o, sawCalls) } : { text: '', index: 0, finish_reason: finishReason(o, false) }] });
      if (includeUsage) send({ choices: [], usage: usage(o) });
    }
  }
  if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  res.end('data: [DONE]\n\n');
}
