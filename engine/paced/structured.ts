// Paced structured output: a deterministic JSON value that matches the schema, streamed in pieces on the
// paced schedule (one piece = one token: a punctuation mark or a word, with the whitespace before it).
import type { OutputFormat } from '../server/structured';

type Schema = Record<string, unknown>;

/** A value valid for the schema subset agents use: type, properties/required, items, enum, const, anyOf/oneOf, bounds. */
export function exampleFor(schema: Schema, word: (i: number) => string, depth = 0): unknown {
  let i = 0;
  const next = (): string => word(depth * 100 + i++);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const alt = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (Array.isArray(alt) && alt.length > 0) return exampleFor(alt[0], word, depth);
  const type = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== 'null') ?? 'null' : schema.type;
  switch (type) {
    case 'string': {
      let s = next();
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      while (s.length < min) s += ` ${next()}`;
      return typeof schema.maxLength === 'number' ? s.slice(0, schema.maxLength) : s;
    }
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
      return type === 'integer' ? Math.ceil(min) : min;
    }
    case 'boolean': return true;
    case 'null': return null;
    case 'array': {
      const n = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1;
      const items = (schema.items && typeof schema.items === 'object' ? schema.items : {}) as Schema;
      return Array.from({ length: n }, (_, k) => exampleFor(items, (j) => word(j + k * 7), depth + 1));
    }
    default: {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(Object.entries(props).map(([k, v], n) => [k, exampleFor(v, (j) => word(j + n * 13), depth + 1)]));
    }
  }
}

/** The JSON text a paced model answers `format` (or a tool call) with. "json": {"answer": <words>}. */
export function pacedJson(format: OutputFormat, word: (i: number) => string, answerWords: number): string {
  if (format === 'json') return JSON.stringify({ answer: Array.from({ length: Math.max(1, answerWords) }, (_, i) => word(i)).join(' ') });
  return JSON.stringify(exampleFor(format, word));
}

/** The text as tokens: each is a JSON punctuation mark or a run of other characters, with the whitespace before it. */
export function jsonPieces(text: string): string[] {
  return text.match(/\s*(?:[{}[\]:,"]|[^\s{}[\]:,"]+)/g) ?? [];
}
