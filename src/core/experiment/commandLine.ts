// The `chimeraforge run …` line recorded in meta.json (`command`): how to re-run an experiment the same
// way. One builder for the CLI and the extension, so both record the same flags in the same form.

export interface RunCommandSpec {
  readonly file: string;
  readonly reportsDir: string;
  /** `NAME=URL` pairs, each one `--endpoint`. */
  readonly endpoints: readonly string[];
  /** `--model NAME` when the run overrode the file's models. */
  readonly model?: string;
}

/** A word as a shell reads it: bare when safe, JSON-quoted otherwise. */
function word(p: string): string {
  return /^[A-Za-z0-9_./:=@-]+$/.test(p) ? p : JSON.stringify(p);
}

export function runCommandLine(spec: RunCommandSpec): string {
  const parts = ['chimeraforge', 'run', spec.file, '--reports-dir', spec.reportsDir];
  for (const e of spec.endpoints) parts.push('--endpoint', e);
  if (spec.model !== undefined) parts.push('--model', spec.model);
  return parts.map(word).join(' ');
}
