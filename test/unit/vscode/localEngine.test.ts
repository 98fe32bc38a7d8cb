// Start/Stop Local Engine are offered only where they can work: the palette shows them under the context
// key the extension sets from localEngineAvailable (a checkout with dist/engine.mjs and node-llama-cpp).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_ENGINE_CONTEXT, LocalEngine, localEngineAvailable } from '../../../src/vscode/localEngine';
import { silentLogger } from '../../../src/core/ports';

const ROOT = join(__dirname, '..', '..', '..');

describe('local engine commands: shown only where the engine can start', () => {
  it('available only with both the engine bundle and node-llama-cpp (a .vsix has neither)', async () => {
    const ext = mkdtempSync(join(tmpdir(), 'cf-ext-'));
    assert.equal(localEngineAvailable(ext), false);
    await assert.rejects(new LocalEngine(ext, silentLogger).start(), /only available in a development install/);
    mkdirSync(join(ext, 'dist'));
    writeFileSync(join(ext, 'dist', 'engine.mjs'), '');
    assert.equal(localEngineAvailable(ext), false, 'bundle without node-llama-cpp');
    mkdirSync(join(ext, 'node_modules', 'node-llama-cpp'), { recursive: true });
    assert.equal(new LocalEngine(ext, silentLogger).available, true);
  });

  it('package.json: both commands appear in the palette only under the context key', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { menus: { commandPalette: { command: string; when?: string }[] } } };
    for (const id of ['chimeraforge.startLocalEngine', 'chimeraforge.stopLocalEngine']) {
      const entry = pkg.contributes.menus.commandPalette.find((m) => m.command === id);
      assert.equal(entry?.when, LOCAL_ENGINE_CONTEXT, id);
    }
  });

  it('the extension sets the key on activation from the same check', () => {
    const src = readFileSync(join(ROOT, 'src', 'vscode', 'extension.ts'), 'utf8');
    assert.match(src, /executeCommand\('setContext', LOCAL_ENGINE_CONTEXT, engine\.available\)/);
  });
});
