// Decoding of /api/generate and /api/chat bodies with Ollama's validation and its prompt template.
import { normalizeModelName } from '../config';
import { HttpError, parseKeepAlive, parseOptions, type RequestOptions } from './protocol';
import { parseFormat, parseTools, type OutputFormat, type ToolSpec } from './structured';

export type InferenceApi = 'generate' | 'chat';

export interface ChatMessage { role: string; content: string }

export interface InferenceRequest {
  api: InferenceApi;
  /** The model name as sent (echoed in responses, like Ollama). */
  model: string;
  /** The name with its tag (`tiny` → `tiny:latest`). */
  name: string;
  /** The text the model sees (template applied unless raw). */
  prompt: string;
  /** No prompt / no messages: the load and unload forms. */
  empty: boolean;
  stream: boolean;
  raw: boolean;
  options: RequestOptions;
  keepAliveMs: number | undefined;
  /** Ollama's `think`: true/false or a level; undefined = not sent (a thinking model then thinks). */
  think: boolean | 'low' | 'medium' | 'high' | undefined;
  /** Ollama's `format`: "json" or a JSON schema; undefined = free text. */
  format: OutputFormat | undefined;
  /** Chat `tools` (function tools); empty when none. */
  tools: ToolSpec[];
  /** Role of the last chat message ('' for generate): after a tool result the model answers in text. */
  lastRole: string;
}

/** Ollama's api.ThinkValue: a boolean or "high" / "medium" / "low". */
export function parseThink(v: unknown): InferenceRequest['think'] {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (v === 'high' || v === 'medium' || v === 'low') return v;
    throw new HttpError(400, `invalid think value: ${JSON.stringify(v)} (must be "high", "medium", "low", true, or false)`);
  }
  throw new HttpError(400, 'think must be a boolean or string ("high", "medium", "low", true, or false)');
}

function goType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}

function field<T>(o: Record<string, unknown>, key: string, type: 'string' | 'boolean', struct: string): T | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== type) throw new HttpError(400, `json: cannot unmarshal ${goType(v)} into Go struct field ${struct}.${key} of type ${type === 'boolean' ? 'bool' : 'string'}`);
  return v as T;
}

function messages(v: unknown): ChatMessage[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new HttpError(400, `json: cannot unmarshal ${goType(v)} into Go struct field ChatRequest.messages of type []api.Message`);
  return v.map((m) => {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new HttpError(400, `json: cannot unmarshal ${goType(m)} into Go struct field ChatRequest.messages of type api.Message`);
    const r = m as Record<string, unknown>;
    const content = field<string>(r, 'content', 'string', 'Message') ?? '';
    // An assistant turn that called tools: the calls are part of what the model saw (and of its cache).
    const calls = Array.isArray(r.tool_calls) && r.tool_calls.length > 0 ? JSON.stringify(r.tool_calls) : '';
    return { role: (field<string>(r, 'role', 'string', 'Message') ?? '').toLowerCase(), content: calls !== '' ? `${content}${content ? '\n' : ''}${calls}` : content };
  });
}

/** A ChatML-like template, the same one the generated GGUF carries in tokenizer.chat_template. */
export function renderChat(msgs: readonly ChatMessage[]): string {
  return `${msgs.map((m) => `<|${m.role}|>\n${m.content}\n`).join('')}<|assistant|>\n`;
}

export function parseInference(api: InferenceApi, body: unknown): InferenceRequest {
  const struct = api === 'chat' ? 'ChatRequest' : 'GenerateRequest';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, `json: cannot unmarshal ${goType(body)} into Go value of type api.${struct}`);
  }
  const o = body as Record<string, unknown>;
  const model = field<string>(o, 'model', 'string', struct) ?? '';
  if (model === '') throw new HttpError(400, 'model is required');
  const stream = field<boolean>(o, 'stream', 'boolean', struct) ?? true;
  const raw = api === 'generate' && (field<boolean>(o, 'raw', 'boolean', struct) ?? false);
  const options = parseOptions(o.options);
  const keepAliveMs = parseKeepAlive(o.keep_alive);
  const think = parseThink(o.think);
  const format = parseFormat(o.format);
  const tools = api === 'chat' ? parseTools(o.tools) : [];
  let prompt: string;
  let empty: boolean;
  let lastRole = '';
  if (api === 'chat') {
    const msgs = messages(o.messages);
    empty = msgs.length === 0;
    lastRole = msgs.at(-1)?.role ?? '';
    prompt = renderChat(msgs);
  } else {
    const text = field<string>(o, 'prompt', 'string', struct) ?? '';
    const system = field<string>(o, 'system', 'string', struct);
    if (raw && (system !== undefined || o.template !== undefined || o.context !== undefined)) {
      throw new HttpError(400, 'raw mode does not support template, system, or context');
    }
    empty = text === '';
    prompt = raw ? text : renderChat([...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: text }]);
  }
  return { api, model, name: normalizeModelName(model), prompt, empty, stream, raw, options, keepAliveMs, think, format, tools, lastRole };
}
