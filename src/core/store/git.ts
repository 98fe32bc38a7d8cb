// environment.git (PRODUCT.md §11.3): which code a TR measured. git runs with execFile (no shell) and a
// short timeout; a missing git, a folder outside a repository or a slow git give no `git` entry — they
// never fail a run.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { GitInfo } from '../types';

export const GIT_TIMEOUT_MS = 5000;
/** Diffs above this size are not hashed (a run must not stall on a huge working tree); diffHash is null then. */
const MAX_DIFF_BYTES = 256 * 1024 * 1024;

export const GIT_DEFINITION =
  'environment.git: the workspace\'s git state at run start. commit = HEAD (null before the first commit); branch = the checked-out ' +
  'branch (null when detached); dirty = tracked files differ from HEAD (untracked files do not count); diffHash = sha256 of ' +
  'the bytes of "git diff HEAD --binary" (null when clean or before the first commit).';

function git(cwd: string, args: string[], encoding: 'utf8' | 'buffer' = 'utf8'): Promise<{ ok: boolean; out: string | Buffer }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: GIT_TIMEOUT_MS, maxBuffer: MAX_DIFF_BYTES, encoding, windowsHide: true, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
      (err, stdout) => resolve({ ok: err === null, out: stdout }));
  });
}

/** The git state of `dir`, or null when git is absent, `dir` is not in a work tree, or git does not answer in time. */
export async function captureGit(dir: string): Promise<GitInfo | null> {
  const inside = await git(dir, ['rev-parse', '--is-inside-work-tree']);
  if (!inside.ok || String(inside.out).trim() !== 'true') return null;
  const [head, branch, status] = await Promise.all([
    git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']),
    git(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD']),
    git(dir, ['status', '--porcelain', '--untracked-files=no']),
  ]);
  if (!status.ok) return null;
  const commit = head.ok ? String(head.out).trim() : null;
  const dirty = String(status.out).trim() !== '';
  let diffHash: string | null = null;
  if (dirty && commit !== null) {
    const diff = await git(dir, ['diff', 'HEAD', '--binary', '--no-color', '--no-ext-diff'], 'buffer');
    if (diff.ok) diffHash = `sha256:${createHash('sha256').update(diff.out).digest('hex')}`;
  }
  return { commit, branch: branch.ok && String(branch.out).trim() !== '' ? String(branch.out).trim() : null, dirty, diffHash };
}
