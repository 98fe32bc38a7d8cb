// Placeholder filling for an implementation's argv, env and cwd (docs/IMPLEMENTATIONS.md). Nothing here
// goes through a shell: `${name}` is replaced by plain text, and every other character stays as written.
import { isAbsolute, resolve } from 'node:path';
import { ChimeraError } from '../../errors';

export const PLACEHOLDER_NAMES = ['model', 'endpoint', 'options_json', 'run_dir', 'workspace', 'variant', 'implementation', 'run'] as const;
export type PlaceholderName = (typeof PLACEHOLDER_NAMES)[number];
export type PlaceholderValues = Record<PlaceholderName, string>;

/** `$${name}` is an escaped literal `${name}`; `${name}` must be a known placeholder. */
const TOKEN = /\$(\$)?\{([^}]*)\}/g;

/** Replaces the placeholders of one string; an unknown `${name}` is an input error naming where it is. */
export function fillPlaceholders(text: string, values: PlaceholderValues, where: string): string {
  return text.replace(TOKEN, (whole, escaped: string | undefined, name: string) => {
    if (escaped) return whole.slice(1);
    if ((PLACEHOLDER_NAMES as readonly string[]).includes(name)) return values[name as PlaceholderName];
    throw new ChimeraError('E_BAD_INPUT', `unknown placeholder \${${name}} in ${where}`, {
      where,
      hint: `known placeholders: ${PLACEHOLDER_NAMES.map((n) => `\${${n}}`).join(', ')}; write $\${${name}} for a literal \${${name}}`,
    });
  });
}

export interface ImplementationTemplate {
  name: string;
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
}

export interface FilledCommand {
  argv: string[];
  /** Absolute working directory. */
  cwd: string;
  /** Variables added to (or overriding) the harness's own environment. */
  env: Record<string, string>;
}

/** argv, env values and cwd filled; a relative cwd resolves against the workspace folder. */
export function fillCommand(impl: ImplementationTemplate, values: PlaceholderValues, workspaceDir: string): FilledCommand {
  if (impl.argv.length === 0 || impl.argv[0] === '') {
    throw new ChimeraError('E_BAD_INPUT', `implementation "${impl.name}" has an empty argv`, { where: `implementations[${impl.name}].argv`, hint: 'argv[0] is the program to run, e.g. ["python3", "agent.py"]' });
  }
  const argv = impl.argv.map((a, i) => fillPlaceholders(a, values, `implementations[${impl.name}].argv[${i}]`));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(impl.env ?? {})) env[k] = fillPlaceholders(v, values, `implementations[${impl.name}].env.${k}`);
  const cwdText = impl.cwd !== undefined ? fillPlaceholders(impl.cwd, values, `implementations[${impl.name}].cwd`) : '.';
  const cwd = isAbsolute(cwdText) ? cwdText : resolve(workspaceDir, cwdText);
  return { argv, cwd, env };
}
