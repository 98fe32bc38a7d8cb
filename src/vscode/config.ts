// Settings are read in one place into one typed, readonly object. Every key read here is listed in
// CONFIG_KEYS and declared in package.json `contributes.configuration` (the manifest test checks both ways).
import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import { parseTrId } from '../core/store/trId';
import { Disposable } from './disposable';

export const CONFIG_SECTION = 'chimeraforge';

export interface ChimeraforgeConfig {
  /** Named Ollama endpoints, name → base URL. */
  readonly endpoints: Readonly<Record<string, string>>;
  readonly defaultModel: string;
  /** Where TR directories go, relative to the workspace folder unless absolute. */
  readonly reportsDir: string;
  readonly defaultRepetitions: number;
  readonly defaultWarmup: number;
  /** Sample nvidia-smi during runs when it is available. */
  readonly gpuSampling: boolean;
  readonly experimentsGlob: string;
  /** Baseline TR per experiment file: path relative to the workspace folder (forward slashes) → TR id. */
  readonly baselines: Readonly<Record<string, string>>;
  /** The metric "Compare with Baseline…" and the experiment CodeLens gate on. */
  readonly gateMetric: string;
  /** The margin of that gate: how much worse than the baseline is tolerated, in percent. */
  readonly gateMaxRegressionPct: number;
}

export type ConfigKey = keyof ChimeraforgeConfig;

/** The defaults; they must equal the `default`s declared in package.json (checked by the manifest test). */
export const CONFIG_DEFAULTS: ChimeraforgeConfig = Object.freeze({
  endpoints: Object.freeze({ default: 'http://127.0.0.1:11434' }),
  defaultModel: 'gemma3:latest',
  reportsDir: 'reports',
  defaultRepetitions: 5,
  defaultWarmup: 1,
  gpuSampling: true,
  experimentsGlob: '**/*.experiment.json',
  baselines: Object.freeze({}),
  gateMetric: 'decode_tps',
  gateMaxRegressionPct: 5,
});

/** Every key this extension reads, without the `chimeraforge.` prefix. */
export const CONFIG_KEYS: readonly ConfigKey[] = Object.freeze(Object.keys(CONFIG_DEFAULTS) as ConfigKey[]);

export interface ConfigReading {
  readonly config: ChimeraforgeConfig;
  /** One line per ignored value: `chimeraforge.<key>: what is wrong (default used)`. */
  readonly problems: readonly string[];
}

type Getter = (key: ConfigKey) => unknown;

/** Reads and checks every setting; a bad value is replaced by its default and reported, never thrown. */
export function readConfig(get: Getter = sectionGetter()): ConfigReading {
  const problems: string[] = [];
  const bad = (key: ConfigKey, why: string): void => {
    problems.push(`${CONFIG_SECTION}.${key}: ${why} (default used)`);
  };
  const str = (key: 'defaultModel' | 'reportsDir' | 'experimentsGlob' | 'gateMetric'): string => {
    const v = get(key);
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (v !== undefined) bad(key, 'expected a non-empty string');
    return CONFIG_DEFAULTS[key];
  };
  const int = (key: 'defaultRepetitions' | 'defaultWarmup', min: number): number => {
    const v = get(key);
    if (typeof v === 'number' && Number.isInteger(v) && v >= min) return v;
    if (v !== undefined) bad(key, `expected an integer >= ${min}, got ${JSON.stringify(v)}`);
    return CONFIG_DEFAULTS[key];
  };
  const margin = get('gateMaxRegressionPct');
  const marginOk = typeof margin === 'number' && margin >= 0 && margin < 100;
  if (margin !== undefined && !marginOk) bad('gateMaxRegressionPct', `expected a percent in [0, 100), got ${JSON.stringify(margin)}`);
  const gpu = get('gpuSampling');
  if (gpu !== undefined && typeof gpu !== 'boolean') bad('gpuSampling', 'expected true or false');
  const config: ChimeraforgeConfig = Object.freeze({
    endpoints: readEndpoints(get('endpoints'), (why) => bad('endpoints', why)),
    defaultModel: str('defaultModel'),
    reportsDir: str('reportsDir'),
    defaultRepetitions: int('defaultRepetitions', 1),
    defaultWarmup: int('defaultWarmup', 0),
    gpuSampling: typeof gpu === 'boolean' ? gpu : CONFIG_DEFAULTS.gpuSampling,
    experimentsGlob: str('experimentsGlob'),
    baselines: readBaselines(get('baselines'), (why) => bad('baselines', why)),
    gateMetric: str('gateMetric'),
    gateMaxRegressionPct: marginOk ? margin : CONFIG_DEFAULTS.gateMaxRegressionPct,
  });
  return { config, problems };
}

function readEndpoints(v: unknown, bad: (why: string) => void): Readonly<Record<string, string>> {
  if (v === undefined) return CONFIG_DEFAULTS.endpoints;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    bad('expected an object of name → URL');
    return CONFIG_DEFAULTS.endpoints;
  }
  const out: Record<string, string> = {};
  for (const [name, url] of Object.entries(v)) {
    if (typeof url === 'string' && isHttpUrl(url)) out[name] = url.replace(/\/+$/, '');
    else bad(`endpoint "${name}" is not an http(s) URL: ${JSON.stringify(url)}`);
  }
  if (Object.keys(out).length === 0) {
    bad('no usable endpoint');
    return CONFIG_DEFAULTS.endpoints;
  }
  return Object.freeze(out);
}

/** File → TR id pairs; entries that are not a TR id are dropped and reported, the others kept. */
function readBaselines(v: unknown, bad: (why: string) => void): Readonly<Record<string, string>> {
  if (v === undefined) return CONFIG_DEFAULTS.baselines;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    bad('expected an object of experiment file → TR id');
    return CONFIG_DEFAULTS.baselines;
  }
  const out: Record<string, string> = {};
  for (const [file, id] of Object.entries(v)) {
    if (typeof id === 'string' && parseTrId(id.trim()) !== null) out[file.replace(/\\/g, '/')] = id.trim();
    else bad(`baseline of "${file}" is not a TR id: ${JSON.stringify(id)}`);
  }
  return Object.freeze(out);
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function sectionGetter(scope?: vscode.ConfigurationScope): Getter {
  const section = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  return (key) => section.get(key);
}

/** Calls `listener` with a fresh reading whenever any chimeraforge.* setting changes. */
export function onConfigChange(listener: (reading: ConfigReading) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(CONFIG_SECTION)) listener(readConfig());
  });
}

/** The current settings, re-read on change; problems go to the log, once per reading. */
export class ConfigStore extends Disposable {
  private _reading: ConfigReading;

  constructor(private readonly log: Logger) {
    super();
    this._reading = this.report(readConfig());
    this._register(onConfigChange((r) => {
      this._reading = this.report(r);
      log.info('settings changed');
    }));
  }

  get current(): ChimeraforgeConfig {
    return this._reading.config;
  }

  private report(r: ConfigReading): ConfigReading {
    for (const p of r.problems) this.log.warn(p);
    return r;
  }
}
