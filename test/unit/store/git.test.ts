// environment.git from a real git in temporary repositories: clean, dirty (tracked changes only),
// detached, before the first commit, and outside any repository.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureGit } from '../../../src/core/store/git';
import { captureEnvironment } from '../../../src/core/store/environment';

const ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() };

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: ENV, encoding: 'utf8' }).trim();
}

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-git-'));
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'agent.py'), 'print("v1")\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'one');
  return dir;
}

describe('store/git (real git, temp repositories)', function () {
  this.timeout(30_000);

  it('clean: commit = HEAD, branch, dirty false, diffHash null', async () => {
    const dir = repo();
    assert.deepEqual(await captureGit(dir), { commit: git(dir, 'rev-parse', 'HEAD'), branch: 'main', dirty: false, diffHash: null });
  });

  it('dirty: a tracked change sets dirty and hashes `git diff HEAD --binary`; untracked files do not count', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'notes.txt'), 'untracked\n');
    assert.equal((await captureGit(dir))?.dirty, false, 'an untracked file alone is not dirty');
    writeFileSync(join(dir, 'agent.py'), 'print("v2")\n');
    const g = await captureGit(dir);
    const diff = execFileSync('git', ['diff', 'HEAD', '--binary', '--no-color', '--no-ext-diff'], { cwd: dir, env: ENV });
    assert.equal(g?.dirty, true);
    assert.equal(g?.diffHash, `sha256:${createHash('sha256').update(diff).digest('hex')}`);
    // Staged or not, the same change is the same diff against HEAD.
    git(dir, 'add', 'agent.py');
    assert.equal((await captureGit(dir))?.diffHash, g?.diffHash);
    writeFileSync(join(dir, 'agent.py'), 'print("v3")\n');
    assert.notEqual((await captureGit(dir))?.diffHash, g?.diffHash);
  });

  it('detached HEAD: branch null; before the first commit: commit null', async () => {
    const dir = repo();
    git(dir, 'checkout', '-q', '--detach');
    assert.equal((await captureGit(dir))?.branch, null);
    const empty = mkdtempSync(join(tmpdir(), 'cf-git-'));
    git(empty, 'init', '-q', '-b', 'trunk');
    assert.deepEqual(await captureGit(empty), { commit: null, branch: 'trunk', dirty: false, diffHash: null });
  });

  it('not a git work tree: null, and captureEnvironment leaves environment.git out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-nogit-'));
    assert.equal(await captureGit(dir), null);
    const env = await captureEnvironment([], dir);
    assert.equal('git' in env, false);
    const inRepo = await captureEnvironment([], repo());
    assert.equal(inRepo.git?.dirty, false);
  });
});
