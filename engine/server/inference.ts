// POST /api/generate and /api/chat: scheduling, streaming, the six timing fields, injected faults.
import type { ServerResponse } from 'node:http';
import type { FaultKind } from '../config';
import { INJECTED_500, INJECTED_MIDSTREAM, MALFORMED_LINE } from '../fault/plan';
import { pacedSchedule } from '../paced/backend';
import { sleep, type GenerateRequest, type GenerateResult, type ModelEntry, type Runner } from './backend';
import { toolCallSchema, toolCallsOf, type Structured } from './structured';
import { BUSY_MESSAGE, HttpError, isoMicros, msToNs, runnerOptions } from './protocol';
import type { InferenceRequest } from './request';
import type { EngineState } from './state';
import { BodyWriter, sendError, sendJson } from './writer';

/** Abort reason that ends a generation because an injected fault already answered the client. */
class FaultStop extends Error {}

/** The text fields of a line: the answer, and the reasoning when there is any (Ollama's `thinking`). */
function shape(r: InferenceRequest, content: string, thinking = ''): Record<string, unknown> {
  const think = thinking !== '' ? { thinking } : {};
  return r.api === 'chat' ? { message: { role: 'assistant', content, ...think } } : { response: content, ...think };
}

/**
 * What constrains the output. A chat with `tools` whose last message is not a tool result is answered with
 * a call — of the tool named by the option `paced_tool` (any mode; "" = answer in text), else the first
 * tool — its arguments generated under the tool's parameter schema; after a tool result, or without tools,
 * `format` applies.
 */
function structuredFor(r: InferenceRequest): Structured | undefined {
  if (r.tools.length > 0 && r.lastRole !== 'tool') {
    const named = typeof r.options.paced_tool === 'string' ? r.options.paced_tool : undefined;
    const tool = named === undefined ? r.tools[0] : r.tools.find((t) => t.name === named);
    if (named !== undefined && named !== '' && !tool) throw new HttpError(400, `option paced_tool: no tool named ${JSON.stringify(named)} in tools`);
    if (tool) return { schema: toolCallSchema(tool), kind: 'tool' };
  }
  return r.format === undefined ? undefined : { schema: r.format, kind: 'content' };
}

/** Thinking tokens for this request: a thinking model thinks unless `think` is false (Ollama ≥ 0.20). */
function thinkTokensFor(state: EngineState, r: InferenceRequest, entry: ModelEntry): number {
  const capable = entry.capabilities.includes('thinking');
  if (r.think !== undefined && r.think !== false && !capable) throw new HttpError(400, `${JSON.stringify(r.model)} does not support thinking`);
  if (!capable || r.think === false) return 0;
  return typeof r.options.think_tokens === 'number' && r.options.think_tokens >= 0 ? r.options.think_tokens : state.cfg.thinkTokens;
}

function head(r: InferenceRequest): { model: string; created_at: string } {
  return { model: r.model, created_at: isoMicros() };
}

/** Ollama's metric fields are omitempty: a zero is left out. */
function metrics(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v !== 0));
}

export async function handleInference(state: EngineState, res: ServerResponse, r: InferenceRequest, t0: number): Promise<void> {
  const entry = await state.findModel(r.name);
  if (!entry) throw new HttpError(404, `model '${r.model}' not found`);
  const { backend, scheduler } = await state.active();
  const ac = new AbortController();
  res.on('close', () => { if (!res.writableFinished) ac.abort(new HttpError(499, 'request canceled')); });

  if (r.empty) {
    if (r.keepAliveMs === 0) {
      await scheduler.unload(r.name);
      return sendJson(res, 200, { ...head(r), ...shape(r, ''), done: true, done_reason: 'unload' });
    }
    const { model } = await scheduler.acquire(entry, runnerOptions(r.options), r.keepAliveMs ?? state.cfg.keepAliveMs, ac.signal);
    scheduler.release(model);
    return sendJson(res, 200, { ...head(r), ...shape(r, ''), done: true, done_reason: 'load' });
  }

  const thinkTokens = thinkTokensFor(state, r, entry);
  const structured = structuredFor(r);
  const fault = state.cfg.mode === 'fault' && state.fault ? state.fault.next() : null;
  if (fault) state.noteFault(fault);
  if (fault === 'http404') throw new HttpError(404, `model '${r.model}' not found`);
  if (fault === 'http500') throw new HttpError(500, INJECTED_500);
  if (fault === 'http503') throw new HttpError(503, BUSY_MESSAGE);

  const { model, cold } = await scheduler.acquire(entry, runnerOptions(r.options), r.keepAliveMs ?? state.cfg.keepAliveMs, ac.signal);
  const tLoaded = performance.now();
  try {
    const slot = await model.slots.acquire(ac.signal, (s) => model.runner.cachedPrefix(s, r.prompt));
    const tSlot = performance.now();
    try {
      const planned = pacedSchedule(state.cfg.paced, r.options, thinkTokens).tokens;
      const at = fault && state.fault ? state.fault.atToken(planned) : -1;
      const result = await stream(state, res, r, fault, at, slot, { thinkTokens, structured }, model.runner.generate.bind(model.runner), ac);
      if (!result) return;
      const loadNs = cold && backend.scheduledLoadMs ? msToNs(backend.scheduledLoadMs()) : result.scheduled && !cold ? 0 : msToNs(tLoaded - t0);
      // Scheduled (paced): everything before the slot is measured, the rest is the schedule itself.
      const total = result.scheduled ? msToNs(tSlot - t0) + result.promptEvalNs + result.evalNs : msToNs(performance.now() - t0);
      const final = {
        done: true,
        done_reason: result.doneReason,
        ...(r.api === 'generate' && !r.raw ? { context: result.context } : {}),
        ...metrics({ total_duration: total, load_duration: loadNs, prompt_eval_count: result.promptEvalCount }),
        // Sent even when 0, as recent Ollama does; absent when the prompt cache is off (older Ollama's shape).
        ...(result.promptCachedCount !== undefined ? { prompt_eval_cached_count: result.promptCachedCount } : {}),
        ...metrics({ prompt_eval_duration: result.promptEvalNs, eval_count: result.evalCount, eval_duration: result.evalNs }),
      };
      await finish(res, r, final, fault, result.text, result.thinking, result.toolCalls);
    } finally {
      model.slots.release(slot);
    }
  } finally {
    scheduler.release(model);
  }
}

type Generate = Runner['generate'];

// Streams content (or gathers it when stream:false); returns null when a fault or the client ended it.
async function stream(state: EngineState, res: ServerResponse, r: InferenceRequest, fault: FaultKind | null, at: number,
  slot: number, shaping: Pick<GenerateRequest, 'thinkTokens' | 'structured'>, generate: Generate, ac: AbortController): Promise<(GenerateResult & Answer) | null> {
  const writer = new BodyWriter(res, fault === 'split');
  const started = (): void => {
    if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
  };
  let text = '';
  let thinking = '';
  let call = '';
  let sent = 0;
  let fired = false;
  // Acts out a fault that strikes inside the response; true when the response is over.
  const fire = async (): Promise<boolean> => {
    fired = true;
    switch (fault) {
      case 'midstream':
        if (!r.stream) { sendError(res, 500, INJECTED_MIDSTREAM); return true; }
        started();
        await writer.end(`${JSON.stringify({ error: INJECTED_MIDSTREAM })}\n`);
        return true;
      case 'reset':
        res.socket?.resetAndDestroy();
        return true;
      case 'nodone':
        if (!r.stream) { sendJson(res, 200, { ...head(r), ...shape(r, text, thinking), done: false }); return true; }
        started();
        await writer.end();
        return true;
      case 'malformed':
        if (r.stream) { started(); await writer.write(`${MALFORMED_LINE}\n`); }
        return false;
      case 'stall':
        if (r.stream) { started(); res.flushHeaders(); }
        await sleep(state.fault?.stallMs() ?? 0, ac.signal);
        return false;
      default:
        return false;
    }
  };
  try {
    const result = await generate({
      prompt: r.prompt, options: r.options, slot, signal: ac.signal, ...shaping,
      onToken: async (piece, kind) => {
        if (at >= 0 && !fired && sent >= at && await fire()) ac.abort(new FaultStop());
        if (ac.signal.aborted) throw ac.signal.reason;
        sent++;
        // A tool call is sent whole once complete (Ollama parses it out of the stream), not piece by piece.
        if (kind === 'tool') { call += piece; return; }
        if (kind === 'thinking') thinking += piece;
        else text += piece;
        if (r.stream) {
          started();
          await writer.line({ ...head(r), ...(kind === 'thinking' ? shape(r, '', piece) : shape(r, piece)), done: false });
        }
      },
    });
    if (at >= 0 && !fired && await fire()) return null;
    const toolCalls = call === '' ? null : toolCallsOf(call);
    // A call cut short (num_predict) is not a call: Ollama then returns the text as content.
    if (call !== '' && !toolCalls) text += call;
    if (r.stream && (toolCalls || (call !== '' && text !== ''))) {
      started();
      await writer.line({ ...head(r), ...(toolCalls ? withCalls(shape(r, ''), toolCalls) : shape(r, call)), done: false });
    }
    return { ...result, text, thinking, toolCalls };
  } catch (e) {
    if (e instanceof FaultStop || ac.signal.reason instanceof FaultStop || res.destroyed) return null;
    if (!res.headersSent) throw e;
    await writer.end(`${JSON.stringify({ error: e instanceof Error ? e.message : String(e) })}\n`);
    return null;
  }
}

interface Answer { text: string; thinking: string; toolCalls: ToolCalls | null }
type ToolCalls = NonNullable<ReturnType<typeof toolCallsOf>>;

function withCalls(fields: Record<string, unknown>, calls: ToolCalls | null): Record<string, unknown> {
  if (!calls || !fields.message) return fields;
  return { ...fields, message: { ...(fields.message as object), tool_calls: calls } };
}

async function finish(res: ServerResponse, r: InferenceRequest, final: Record<string, unknown>, fault: FaultKind | null, text: string, thinking: string,
  toolCalls: ToolCalls | null): Promise<void> {
  const writer = new BodyWriter(res, fault === 'split');
  if (r.stream) {
    if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    await writer.end(`${JSON.stringify({ ...head(r), ...shape(r, ''), ...final })}\n`);
    return;
  }
  const body = fault === 'malformed' ? MALFORMED_LINE : JSON.stringify({ ...head(r), ...withCalls(shape(r, text, thinking), toolCalls), ...final });
  if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
  await writer.end(body);
}
