// Foundation checks inside the real extension host: activation, manifest ↔ registrations, settings
// declared ↔ read, and the "Chimeraforge" log channel as VS Code itself holds it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChimeraforgeApi } from '../../src/vscode/api';
import { CONFIG_DEFAULTS, CONFIG_KEYS, CONFIG_SECTION } from '../../src/vscode/config';

const EXTENSION_ID = 'chimeraforge.chimeraforge';

interface ConfigProperty { markdownDescription?: unknown; default?: unknown; type?: unknown }
interface Manifest {
  version: string;
  activationEvents?: string[];
  contributes: { commands: { command: string; title: string; category?: string }[]; configuration: { properties: Record<string, ConfigProperty> } };
}

function extension(): vscode.Extension<ChimeraforgeApi> {
  const ext = vscode.extensions.getExtension<ChimeraforgeApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

async function api(): Promise<ChimeraforgeApi> {
  return extension().activate();
}

function manifest(): Manifest {
  return extension().packageJSON as Manifest;
}

/** Polls until `probe` returns a value (not undefined) or fails after `ms`. */
async function eventually<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function logDocument(): vscode.TextDocument | undefined {
  // An output channel's model is visible to extensions as a document of scheme `output`, named after the channel.
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.uri.path.endsWith(`${EXTENSION_ID}.Chimeraforge`));
}

describe('foundation: activation', () => {
  it('activates by id and returns its API with the manifest version', async () => {
    const ext = extension();
    const a = await ext.activate();
    assert.equal(ext.isActive, true);
    // the version is injected at bundle time; it must match the manifest the host loaded
    assert.equal(a.version, manifest().version);
    assert.equal(typeof a.config, 'function');
  });

  it('activates lazily: no "*" and no onStartupFinished', () => {
    const events = manifest().activationEvents ?? [];
    for (const bad of ['*', 'onStartupFinished']) assert.ok(!events.includes(bad), `activationEvents contains ${bad}`);
    assert.ok(events.includes('workspaceContains:**/*.experiment.json'), 'experiment files must activate the extension');
  });
});

describe('foundation: commands in the manifest are the commands registered', () => {
  it('every contributed command has the Chimeraforge category, a title and a chimeraforge.* id', () => {
    const cmds = manifest().contributes.commands;
    assert.ok(cmds.length > 0, 'no contributed commands');
    for (const c of cmds) {
      assert.match(c.command, /^chimeraforge\.[a-z][A-Za-z]+$/, `${c.command}: id is not chimeraforge.verbNoun`);
      assert.equal(c.category, 'Chimeraforge', `${c.command}: category`);
      assert.ok(c.title.trim().length > 0, `${c.command}: empty title`);
    }
  });

  it('contributed ids and registered chimeraforge.* ids are the same set', async () => {
    await api();
    const contributed = manifest().contributes.commands.map((c) => c.command).sort();
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('chimeraforge.')).sort();
    assert.deepEqual(registered, contributed);
  });
});

describe('foundation: settings read are declared', () => {
  const props = (): Record<string, ConfigProperty> => manifest().contributes.configuration.properties;

  for (const key of CONFIG_KEYS) {
    it(`${CONFIG_SECTION}.${key} is declared with markdownDescription and the default the code uses`, () => {
      const decl = props()[`${CONFIG_SECTION}.${key}`];
      assert.ok(decl, `${CONFIG_SECTION}.${key} is read but not declared`);
      assert.equal(typeof decl.markdownDescription, 'string');
      assert.ok((decl.markdownDescription as string).length > 20, 'markdownDescription too short to help anyone');
      assert.deepEqual(decl.default, CONFIG_DEFAULTS[key]);
      // VS Code registered the declaration: its default is what the settings UI shows
      assert.deepEqual(vscode.workspace.getConfiguration(CONFIG_SECTION).inspect(key)?.defaultValue, CONFIG_DEFAULTS[key]);
    });
  }

  it('every declared chimeraforge.* setting is read by the code', () => {
    const declared = Object.keys(props()).map((k) => k.slice(CONFIG_SECTION.length + 1)).sort();
    assert.deepEqual(declared, [...CONFIG_KEYS].sort());
  });

  it('with no user settings the API reports the defaults', async () => {
    assert.deepEqual((await api()).config(), CONFIG_DEFAULTS);
  });
});

describe('foundation: settings changes reach the extension', () => {
  const cases: { key: string; value: unknown; expect: unknown; problem?: RegExp }[] = [
    { key: 'defaultRepetitions', value: 9, expect: 9 },
    { key: 'defaultRepetitions', value: 0, expect: 5, problem: /chimeraforge\.defaultRepetitions: expected an integer >= 1, got 0 \(default used\)/ },
    { key: 'defaultWarmup', value: 0, expect: 0 },
    // VS Code merges an object setting over its declared default: "default" stays unless overridden
    { key: 'endpoints', value: { a: 'http://10.0.0.2:11434/', b: 'http://10.0.0.3:11435' }, expect: { default: 'http://127.0.0.1:11434', a: 'http://10.0.0.2:11434', b: 'http://10.0.0.3:11435' } },
    { key: 'endpoints', value: { default: 'https://gpu-box:8443' }, expect: { default: 'https://gpu-box:8443' } },
    { key: 'endpoints', value: { a: 'ftp://x' }, expect: CONFIG_DEFAULTS.endpoints, problem: /chimeraforge\.endpoints: endpoint "a" is not an http\(s\) URL/ },
    { key: 'reportsDir', value: '   ', expect: 'reports', problem: /chimeraforge\.reportsDir: expected a non-empty string/ },
  ];
  const section = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(CONFIG_SECTION);

  afterEach(async () => {
    for (const key of new Set(cases.map((c) => c.key))) await section().update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  for (const c of cases) {
    it(`${c.key} = ${JSON.stringify(c.value)} → ${JSON.stringify(c.expect)}${c.problem ? ' and a warning in the log' : ''}`, async () => {
      const a = await api();
      await section().update(c.key, c.value, vscode.ConfigurationTarget.Global);
      const cfg = await eventually(`config.${c.key} = ${JSON.stringify(c.expect)}`, () => {
        const cur = a.config() as unknown as Record<string, unknown>;
        try {
          assert.deepEqual(cur[c.key], c.expect);
          return cur;
        } catch {
          return undefined;
        }
      });
      assert.deepEqual(cfg[c.key], c.expect);
      if (c.problem) {
        await vscode.commands.executeCommand('chimeraforge.showLog');
        const problem = c.problem;
        await eventually(`log line ${problem}`, () => (problem.test(logDocument()?.getText() ?? '') ? true : undefined));
      }
    });
  }
});

describe('foundation: the Chimeraforge log channel', () => {
  it('Show Log reveals a channel named Chimeraforge holding the activation line', async () => {
    const a = await api();
    assert.equal(a.logChannelName, 'Chimeraforge');
    await vscode.commands.executeCommand('chimeraforge.showLog');
    const doc = await eventually('the Chimeraforge output document', logDocument);
    const text = await eventually('the activation line', () => (/Chimeraforge \S+ activated/.test(doc.getText()) ? doc.getText() : undefined));
    assert.match(text, new RegExp(`\\[info\\] Chimeraforge ${a.version.replace(/\./g, '\\.')} activated \\(VS Code ${vscode.version.replace(/\./g, '\\.')}, extension at `));
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document === doc), 'the channel is not shown');
  });

  it('the API logger writes to that channel at the level asked for', async () => {
    const a = await api();
    const token = `probe-${Date.now().toString(36)}`;
    a.log.warn(`${token} warn`);
    a.log.error(`${token} error`);
    await vscode.commands.executeCommand('chimeraforge.showLog');
    const text = await eventually('the probe lines', () => {
      const t = logDocument()?.getText() ?? '';
      return t.includes(`${token} error`) ? t : undefined;
    });
    assert.match(text, new RegExp(`\\[warning\\] ${token} warn`));
    assert.match(text, new RegExp(`\\[error\\] ${token} error`));
  });
});
