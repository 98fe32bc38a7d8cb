// The built chimeraforge command (dist/cli.js), run as a user runs it, for the CLI tests.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const CLI = join(process.cwd(), 'dist', 'cli.js');

export interface CliRun { code: number | null; stdout: string; stderr: string }

/** Runs `chimeraforge ARGS` in `cwd` and waits for it (2 min at most). */
export function cli(args: string[], cwd: string): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** For a suite's before(): the tests run the built bundle, which npm test builds first. */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
}
