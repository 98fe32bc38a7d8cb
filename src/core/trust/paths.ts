// Workspace Trust for files an experiment reads (docs/RELIABILITY.md "Trust rules"): a prompts file must
// resolve (symlinks followed, via realpath) inside the workspace. Outside it, only a trusted workspace may
// name one, and only by an absolute path written out: `../../.ssh/id_rsa` or a symlink never gets out.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ChimeraError } from '../errors';

/** realpath when the path exists; otherwise the deepest existing parent's realpath joined with the rest. */
function realOrResolved(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = dirname(p);
    return parent === p ? p : resolve(realOrResolved(parent), relative(parent, p));
  }
}

/** Whether `file` (both sides realpath'd) lies inside `root`. */
export function isInside(file: string, root: string): boolean {
  const rel = relative(realOrResolved(root), realOrResolved(file));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export interface ConfineOptions {
  /** The workspace folder: what an untrusted experiment may read. */
  workspaceDir: string;
  /** Workspace Trust (the CLI is trusted: the person typed the command). */
  trusted: boolean;
  /** The field, for the message (e.g. "promptsFile"). */
  field: string;
}

/**
 * The path to read for `given` (relative to `baseDir`), or E_OUTSIDE_WORKSPACE. Inside the workspace
 * (after symlinks): allowed. Outside: allowed only in a trusted workspace and only when `given` is absolute.
 */
export function confinedPath(given: string, baseDir: string, o: ConfineOptions): string {
  const full = resolve(baseDir, given);
  if (isInside(full, o.workspaceDir)) return full;
  if (o.trusted && isAbsolute(given)) return full;
  const why = o.trusted
    ? 'a relative path (or a symlink) that leads out of the workspace'
    : 'outside the workspace, and this workspace is not trusted';
  throw new ChimeraError('E_OUTSIDE_WORKSPACE', `${o.field} "${given}" resolves to ${realOrResolved(full)}: ${why}`, {
    where: o.field,
    hint: o.trusted
      ? `move the file into the workspace (${o.workspaceDir}) or write its absolute path`
      : `move the file into the workspace (${o.workspaceDir}), or trust the workspace and write the file's absolute path`,
  });
}
