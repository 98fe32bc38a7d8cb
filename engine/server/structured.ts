// Structured output and tool calls (Ollama's `format` and `tools`): what a request asks for, the JSON schema
// that constrains the output, and the tool-call shape of a chat answer.
import { HttpError } from './protocol';

/** `format`: "json" (any JSON object) or a JSON schema object. */
export type OutputFormat = 'json' | Record<string, unknown>;

export interface ToolSpec { name: string; parameters: Record<string, unknown> }

/**
 * What constrains a generation: the schema its text must match, and whether the text is the answer
 * (`format`) or a tool call ({"name", "arguments"}), which the chat answer carries as message.tool_calls.
 */
export interface Structured { schema: OutputFormat; kind: 'content' | 'tool' }

/** The object both engine modes answer format "json" with: {"answer": <text>}. */
export const JSON_ANSWER: Record<string, unknown> = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };

/** Ollama's format check (llm/server.go): null / "" = not set, "json", or an object schema; else an error. */
export function parseFormat(v: unknown): OutputFormat | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (v === 'json') return 'json';
  if (typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  throw new HttpError(500, `invalid format: ${JSON.stringify(JSON.stringify(v))}; expected "json" or a valid JSON Schema object`);
}

/** The `tools` of a chat request (function tools); the parts the engine uses. */
export function parseTools(v: unknown): ToolSpec[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new HttpError(400, 'json: cannot unmarshal tools into Go struct field ChatRequest.tools of type api.Tools');
  return v.map((t, i) => {
    const fn = (t as { function?: { name?: unknown; parameters?: unknown } } | null)?.function;
    if (!fn || typeof fn.name !== 'string' || fn.name === '') throw new HttpError(400, `tools[${i}].function.name is required`);
    const parameters = fn.parameters && typeof fn.parameters === 'object' ? fn.parameters as Record<string, unknown> : { type: 'object', properties: {} };
    return { name: fn.name, parameters };
  });
}

/** The schema of a call of `tool`: {"name": <the tool's name>, "arguments": <its parameters>}. */
export function toolCallSchema(tool: ToolSpec): Record<string, unknown> {
  return { type: 'object', properties: { name: { const: tool.name }, arguments: tool.parameters }, required: ['name', 'arguments'] };
}

/** message.tool_calls from the generated call text; null when it is not a complete call (e.g. cut by num_predict). */
export function toolCallsOf(text: string): { function: { name: string; arguments: Record<string, unknown> } }[] | null {
  try {
    const o = JSON.parse(text) as { name?: unknown; arguments?: unknown };
    if (typeof o.name !== 'string' || typeof o.arguments !== 'object' || o.arguments === null) return null;
    return [{ function: { name: o.name, arguments: o.arguments as Record<string, unknown> } }];
  } catch {
    return null;
  }
}
