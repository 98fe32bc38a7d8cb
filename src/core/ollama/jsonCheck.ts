// json_valid (PRODUCT.md §11.1 format): a call that asked for structured output ("json" or a JSON schema)
// is checked — the answer must parse, and under a schema match it. The check is recorded, not enforced:
// the timing of a call is valid whatever its text, and the report counts the answers that were not JSON.
import Ajv, { type ValidateFunction } from 'ajv';
import type { FormatSetting } from '../types';

const ajv = new Ajv({ allErrors: false, strict: false });
const compiled = new WeakMap<object, ValidateFunction | string>();

/** The compiled schema, or the reason it cannot be compiled (checked at load time: schemaError). */
function validatorOf(schema: Record<string, unknown>): ValidateFunction | string {
  let v = compiled.get(schema);
  if (v === undefined) {
    try {
      v = ajv.compile(schema);
    } catch (e) {
      v = e instanceof Error ? e.message : String(e);
    }
    compiled.set(schema, v);
  }
  return v;
}

/** Why a format schema cannot be used to check answers, or null when it can ("json" always can). */
export function formatSchemaError(format: FormatSetting): string | null {
  if (typeof format === 'string') return null;
  const v = validatorOf(format);
  return typeof v === 'string' ? v : null;
}

/** Whether `text` satisfies `format`, with the first reason when it does not. */
export function checkJson(text: string, format: FormatSetting): { json_valid: boolean; jsonError?: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { json_valid: false, jsonError: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof format === 'string') return { json_valid: true };
  const v = validatorOf(format);
  if (typeof v === 'string') return { json_valid: true };
  if (v(value)) return { json_valid: true };
  const err = v.errors?.[0];
  return { json_valid: false, jsonError: `does not match the format schema: ${err ? `${err.instancePath || '(root)'} ${err.message ?? err.keyword}` : 'mismatch'}` };
}
