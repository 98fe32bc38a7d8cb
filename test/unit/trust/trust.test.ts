// Workspace Trust rules (docs/RELIABILITY.md "Trust rules"): what an experiment file may read and where
// it may send it. Real files, real symlinks, real package.json.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChimeraError } from '../../../src/core/errors';
import { normalizeExperiment } from '../../../src/core/experiment/normalize';
import { isLoopbackUrl } from '../../../src/core/trust/endpoints';
import { ingest } from '../../../src/core/workflow/ingest';
import { endpointsNeedingConsent, prepareExperiment } from '../../../src/vscode/runSetup';

/** A workspace with an experiment folder, and a "secret" beside it (outside the workspace). */
function layout(): { ws: string; secret: string; expFile: string } {
  const root = mkdtempSync(join(tmpdir(), 'cf-trust-'));
  const ws = join(root, 'ws');
  mkdirSync(join(ws, 'exp'), { recursive: true });
  const secret = join(root, 'id_rsa');
  writeFileSync(secret, 'PRIVATE KEY\n');
  writeFileSync(join(ws, 'exp', 'prompts.txt'), 'hello\n');
  return { ws, secret, expFile: join(ws, 'exp', 'a.experiment.json') };
}

const outside = (e: unknown): boolean => e instanceof ChimeraError && e.code === 'E_OUTSIDE_WORKSPACE' && e.message.startsWith('promptsFile ');
const norm = (promptsFile: string, l: ReturnType<typeof layout>, trusted: boolean) =>
  normalizeExperiment({ title: 't', kind: 'prompt', promptsFile }, { sourceFile: l.expFile, workspaceDir: l.ws, trusted });

describe('trust: files an experiment reads', () => {
  it('a prompts file inside the workspace is read, trusted or not', () => {
    const l = layout();
    for (const trusted of [true, false]) assert.deepEqual(norm('prompts.txt', l, trusted).prompts, ['hello']);
  });

  it('a relative path out of the workspace (../../id_rsa) is refused, trusted or not', () => {
    const l = layout();
    for (const trusted of [true, false]) assert.throws(() => norm('../../id_rsa', l, trusted), outside);
  });

  it('an absolute path outside: read only in a trusted workspace (explicit); refused when untrusted', () => {
    const l = layout();
    assert.deepEqual(norm(l.secret, l, true).prompts, ['PRIVATE KEY']);
    assert.throws(() => norm(l.secret, l, false), outside);
  });

  it('symlinks are resolved: a link inside the workspace that leads out is refused, trusted or not; one that stays in is read', () => {
    const l = layout();
    symlinkSync(l.secret, join(l.ws, 'exp', 'innocent.txt'));
    symlinkSync(join(l.ws, 'exp', 'prompts.txt'), join(l.ws, 'exp', 'alias.txt'));
    for (const trusted of [true, false]) {
      assert.throws(() => norm('innocent.txt', l, trusted), outside);
      assert.deepEqual(norm('alias.txt', l, trusted).prompts, ['hello']);
    }
  });

  it('workflow inputs: a symlinked file is ingested only when it resolves inside the workspace', () => {
    const l = layout();
    mkdirSync(join(l.ws, 'data'));
    writeFileSync(join(l.ws, 'data', 'real.csv'), 'a,b\n1,2\n');
    const outsideCsv = join(l.ws, '..', 'leak.csv');
    writeFileSync(outsideCsv, 'secret,1\n');
    symlinkSync(outsideCsv, join(l.ws, 'data', 'leak.csv'));
    symlinkSync(join(l.ws, 'data', 'real.csv'), join(l.ws, 'data', 'alias.csv'));
    symlinkSync(join(l.ws, '..'), join(l.ws, 'data', 'up')); // a linked folder is never followed
    const inv = ingest(l.ws, ['data/**/*.csv']);
    assert.deepEqual(inv.files.map((f) => f.path), ['data/alias.csv', 'data/real.csv']);
    assert.ok(!inv.summary.includes('secret'));
  });
});

describe('trust: endpoints', () => {
  const table: [string, boolean][] = [
    ['http://127.0.0.1:11434', true], ['http://localhost:11434', true], ['http://127.8.9.1:1', true], ['http://[::1]:11434', true],
    ['http://[::ffff:127.0.0.1]:1', true], ['http://gpu-box.lan:11434', false], ['http://10.0.0.5:11434', false], ['https://example.com', false],
    ['http://127.0.0.1.evil.example:80', false], ['http://0.0.0.0:11434', false],
  ];
  for (const [url, loop] of table) it(`${url} is ${loop ? '' : 'not '}loopback`, () => assert.equal(isLoopbackUrl(url), loop));

  it('untrusted: endpoints off this machine named by the experiment file need consent; settings\' and loopback ones do not', () => {
    const l = layout();
    writeFileSync(l.expFile, JSON.stringify({ title: 't', kind: 'prompt', prompts: ['hi'], endpoints: { default: 'http://127.0.0.1:11434', exfil: 'http://attacker.example:8080' } }));
    const settings = { endpoints: { box: 'http://gpu-box.lan:11434' }, defaultModel: 'tiny:latest', defaultRepetitions: 1, defaultWarmup: 0 };
    const x = prepareExperiment(l.expFile, settings, l.ws, undefined, false);
    assert.deepEqual(endpointsNeedingConsent(l.expFile, x, false), [{ name: 'exfil', url: 'http://attacker.example:8080' }]);
    assert.deepEqual(endpointsNeedingConsent(l.expFile, x, true), []);
  });

  it('package.json: workspace values of chimeraforge.endpoints and chimeraforge.reportsDir are ignored in untrusted workspaces', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations?: string[] } } };
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations?.slice().sort(), ['chimeraforge.endpoints', 'chimeraforge.reportsDir']);
  });
});
