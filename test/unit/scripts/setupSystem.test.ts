// scripts/setup-system.sh, the first tier of npm test: it checks the system packages the tests need and
// installs the missing ones as root. These tests never install anything: a dry run shows the plan, and
// CHIMERAFORGE_SETUP_ASSUME_MISSING pretends an installed package is missing (chromium is never removed
// on a shared machine; the real apt-get path was checked by hand with ripgrep removed).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPT = resolve(__dirname, '../../../scripts/setup-system.sh');
const isRoot = process.getuid?.() === 0;

/** A copy of the script nobody can read: the checkout may sit below a directory only root may enter (mktemp -d is 0700). */
function scriptForNobody(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-setup-'));
  chmodSync(dir, 0o755);
  const copy = join(dir, 'setup-system.sh');
  copyFileSync(SCRIPT, copy);
  chmodSync(copy, 0o755);
  return copy;
}

function run(env: Record<string, string>, asUser = false): { rc: number | null; out: string; err: string } {
  // As root, "not root" is reached for real by dropping to the nobody user; otherwise we already are not root.
  const [cmd, args] = asUser && isRoot
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'bash', scriptForNobody()]]
    : ['bash', [SCRIPT]];
  const r = spawnSync(cmd, args, { env: { ...process.env, CHIMERAFORGE_SETUP_DRY_RUN: '', CHIMERAFORGE_SETUP_ASSUME_MISSING: '', ...env }, encoding: 'utf8' });
  return { rc: r.status, out: r.stdout, err: r.stderr };
}

describe('scripts/setup-system.sh (system packages for the tests)', () => {
  it('exits 0 without touching apt when every package on the list is installed', () => {
    const r = run({ CHIMERAFORGE_SYSTEM_PACKAGES: 'bash' });
    assert.equal(r.rc, 0, r.err);
    assert.match(r.out, /all present \(bash\)/);
    assert.doesNotMatch(r.out, /apt-get/);
  });

  it('plans one apt-get update and one install of exactly the missing packages (dry run)', () => {
    const r = run({ CHIMERAFORGE_SETUP_DRY_RUN: '1', CHIMERAFORGE_SETUP_ASSUME_MISSING: 'chromium libkrb5-dev' });
    assert.equal(r.rc, 0, r.err);
    assert.match(r.out, /missing: chromium libkrb5-dev\n/);
    const planned = r.out.split('\n').filter((l) => l.includes('would run as root:'));
    assert.deepEqual(planned.map((l) => l.replace(/^.*would run as root: /, '')), [
      'apt-get update -q',
      'apt-get install -y -q --no-install-recommends chromium libkrb5-dev',
    ]);
  });

  it('the default list is the one the tests need (chromium, ripgrep, the native-module toolchain)', () => {
    const r = run({ CHIMERAFORGE_SETUP_DRY_RUN: '1', CHIMERAFORGE_SETUP_ASSUME_MISSING: 'chromium ripgrep libkrb5-dev g++ make python3' });
    assert.equal(r.rc, 0, r.err);
    assert.match(r.out, /install -y -q --no-install-recommends chromium ripgrep libkrb5-dev g\+\+ make python3\n/);
  });

  it('not root: stops with exit 1 and the one command that installs what is missing', () => {
    const r = run({ CHIMERAFORGE_SETUP_ASSUME_MISSING: 'chromium' }, true);
    assert.equal(r.rc, 1, r.out + r.err);
    assert.match(r.err, /not running as root/);
    const lines = r.err.trim().split('\n');
    assert.equal(lines.at(-1)!.trim(), "sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends chromium'");
  });
});
