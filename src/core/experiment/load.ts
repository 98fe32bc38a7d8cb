// Reading and validating an experiment file: JSON (comments allowed) → schema → semantic checks.
// Every problem is listed with file + JSON path + what was expected; nothing runs on an invalid file.
import { readFileSync } from 'node:fs';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import Ajv, { type ErrorObject } from 'ajv';
import schema from '../../../schema/experiment.schema.json';
import { ChimeraError } from '../errors';
import type { ExperimentFile } from './types';
import { capacityProblems } from '../capacity/normalize';
import { adaptiveProblems } from './adaptive';
import { formatSchemaError } from '../ollama/jsonCheck';
import type { FormatSetting } from '../types';

/** kind command: the program writes its own requests, so settings the harness would add to its calls cannot apply. */
function commandCallSettingProblems(x: ExperimentFile): string[] {
  const where: [string, ExperimentFile | NonNullable<ExperimentFile['variants']>[number]][] = [['', x], ...(x.variants ?? []).map((v, i) => [`variants[${i}].`, v] as [string, typeof v])];
  return where.flatMap(([path, s]) => [
    ...(s.promptCache === 'cold' ? [`${path}promptCache: "cold" cannot apply to kind "command": the program writes its own prompts (the harness cannot make them unique); remove it (kind command runs "warm": prompts as the program sends them, cache use recorded)`] : []),
    ...(s.think !== undefined ? [`${path}think: cannot apply to kind "command": the program sets its own requests' think; remove it`] : []),
    ...(s.format !== undefined ? [`${path}format: cannot apply to kind "command": the program sets its own requests' format; remove it`] : []),
  ]);
}

/** Every `format` of the file with its JSON path: a schema that cannot be compiled can check no answer. */
function formatProblems(x: ExperimentFile): string[] {
  const found: [string, FormatSetting | undefined][] = [['format', x.format]];
  x.variants?.forEach((v, i) => found.push([`variants[${i}].format`, v.format]));
  const steps = (w: ExperimentFile['workflow'], path: string): void => {
    if (w?.type === 'steps') w.steps.forEach((s, j) => found.push([`${path}.steps[${j}].format`, s.format]));
  };
  steps(x.workflow, 'workflow');
  x.agents?.forEach((a, i) => steps(a.workflow, `agents[${i}].workflow`));
  return found.flatMap(([path, f]) => {
    const err = f === undefined ? null : formatSchemaError(f);
    return err === null ? [] : [`${path}: not a usable JSON schema (${err})`];
  });
}

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(): ReturnType<Ajv['compile']> {
  // Compiled once per process: ajv compilation is the expensive part.
  validator ??= new Ajv({ allErrors: true, strict: false, discriminator: true, verbose: true }).compile(schema);
  return validator;
}

/** `/variants/1/options` → `variants[1].options`; the root is `(root)`. */
export function jsonPath(instancePath: string): string {
  if (!instancePath) return '(root)';
  return instancePath
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

function describeAjvError(e: ErrorObject, data: unknown): string | null {
  const path = jsonPath(e.instancePath);
  const got = valueAt(data, e.instancePath);
  switch (e.keyword) {
    case 'if':
      return null; // the failing "then" branch carries the useful message
    case 'required':
      return `${path}: missing required property "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'additionalProperties':
      return `${path}: unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case 'enum':
      return `${path}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(got)})`;
    case 'type':
      return `${path}: must be ${(e.params as { type: string }).type} (got ${JSON.stringify(got)})`;
    case 'anyOf':
      // A field may name what it expects ("x-expected"), clearer than "does not match any allowed form".
      if (typeof (e.parentSchema as { 'x-expected'?: unknown } | undefined)?.['x-expected'] === 'string') {
        return `${path}: must be ${(e.parentSchema as { 'x-expected': string })['x-expected']} (got ${JSON.stringify(got)})`;
      }
      return `${path}: ${e.parentSchema && (e.parentSchema as { anyOf?: { required?: string[] }[] }).anyOf?.every((s) => s.required) ? `needs one of ${(e.parentSchema as { anyOf: { required: string[] }[] }).anyOf.map((s) => `"${s.required.join('", "')}"`).join(' or ')}` : 'does not match any allowed form'}`;
    case 'oneOf':
      return `${path}: must be ${((e.parentSchema as { oneOf?: { type?: string }[] }).oneOf ?? []).map((b) => b.type ?? 'another form').join(' or ')} (got ${JSON.stringify(got)})`;
    case 'discriminator':
      return `${path}: "type" must be one of "report-agent", "prompt", "steps" (got ${JSON.stringify((got as { type?: unknown } | undefined)?.type)})`;
    default:
      return `${path}: ${e.message ?? e.keyword}${got !== undefined && typeof got !== 'object' ? ` (got ${JSON.stringify(got)})` : ''}`;
  }
}

function valueAt(data: unknown, instancePath: string): unknown {
  let cur: unknown = data;
  for (const seg of instancePath.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

/** Schema problems of a parsed value, as "path: expectation" lines (empty when valid). */
export function schemaProblems(data: unknown): string[] {
  const v = validate();
  if (v(data)) return [];
  const errors = v.errors ?? [];
  // Branch errors inside an anyOf are summarised by the anyOf's own message.
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
  // A oneOf of forms (repetitions: a count or { min, max, until }): only the branch of the value's own
  // type speaks; the oneOf's own message stays only when no branch has the value's type.
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf');
  const inBranch = (e: ErrorObject): ErrorObject | undefined => oneOfs.find((o) => e !== o && e.schemaPath.startsWith(`${o.schemaPath}/`));
  const wrongBranch = (e: ErrorObject): boolean => e.keyword === 'type' && inBranch(e) !== undefined && e.instancePath === inBranch(e)!.instancePath;
  const answered = new Set(errors.filter((e) => inBranch(e) && !wrongBranch(e)).map((e) => inBranch(e)));
  const lines = errors
    .filter((e) => !anyOfPaths.some((p) => e.schemaPath.startsWith(p)))
    .filter((e) => !wrongBranch(e) && !(e.keyword === 'oneOf' && answered.has(e)))
    .map((e) => describeAjvError(e, data))
    .filter((l): l is string => l !== null);
  return [...new Set(lines)];
}

/** Problems the schema cannot express: references between fields, duplicate names. */
export function semanticProblems(x: ExperimentFile): string[] {
  const out: string[] = [];
  const endpoints = { default: 'http://127.0.0.1:11434', ...(x.endpoints ?? {}) };
  const known = Object.keys(endpoints);
  const checkEndpoint = (name: string | undefined, path: string): void => {
    if (name !== undefined && !known.includes(name)) out.push(`${path}: unknown endpoint "${name}" (declared: ${known.join(', ')})`);
  };
  checkEndpoint(x.endpoint, 'endpoint');
  x.agents?.forEach((a, i) => checkEndpoint(a.endpoint, `agents[${i}].endpoint`));
  x.implementations?.forEach((m, i) => checkEndpoint(m.endpoint, `implementations[${i}].endpoint`));
  const dup = (names: string[], path: string): void => {
    const seen = new Set<string>();
    names.forEach((n, i) => {
      if (seen.has(n)) out.push(`${path}[${i}].name: duplicate name "${n}"`);
      seen.add(n);
    });
  };
  if (x.variants) dup(x.variants.map((v) => v.name), 'variants');
  if (x.agents) dup(x.agents.map((a) => a.name), 'agents');
  if (x.implementations) dup(x.implementations.map((m) => m.name), 'implementations');
  const agentNames = new Set((x.agents ?? []).map((a) => a.name));
  x.variants?.forEach((v, i) => {
    for (const a of Object.keys(v.agentOptions ?? {})) {
      if (!agentNames.has(a)) out.push(`variants[${i}].agentOptions.${a}: no agent named "${a}"`);
    }
  });
  out.push(...adaptiveProblems(x));
  if (x.kind === 'multi-agent' && x.agents?.some((a) => !a.workflow) && !x.workflow) {
    out.push('workflow: required when an agent has no workflow of its own');
  }
  out.push(...capacityProblems(x, known));
  out.push(...formatProblems(x));
  if (x.kind === 'command') out.push(...commandCallSettingProblems(x));
  return out;
}

/** Parse experiment text (comments and trailing commas tolerated) and validate it. Throws E_BAD_JSON / E_BAD_INPUT. */
export function parseExperiment(text: string, file: string): ExperimentFile {
  const errors: ParseError[] = [];
  const data: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const details = errors.map((e) => {
      const { line, col } = lineCol(text, e.offset);
      return `line ${line}, column ${col}: ${printParseErrorCode(e.error)}`;
    });
    throw new ChimeraError('E_BAD_JSON', `${file} is not valid JSON`, { where: file, details, hint: 'fix the syntax at the positions listed' });
  }
  const problems = schemaProblems(data);
  if (problems.length === 0) problems.push(...semanticProblems(data as ExperimentFile));
  if (problems.length > 0) {
    throw new ChimeraError('E_BAD_INPUT', `${file} is not a valid experiment (${problems.length} problem${problems.length > 1 ? 's' : ''})`, {
      where: file,
      details: problems,
      hint: 'fix the fields listed (schema: schema/experiment.schema.json)',
    });
  }
  return data as ExperimentFile;
}

export function readExperimentFile(file: string): ExperimentFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ChimeraError('E_NOT_FOUND', `cannot read experiment file ${file}`, { where: file, cause: e, hint: 'check the path' });
  }
  return parseExperiment(text, file);
}
