// Flags of the engine process (engine/main.ts). Everything maps onto the same validated configuration
// as the programmatic API, which passes it whole with --config-json.
import { parseArgs } from 'node:util';
import { ChimeraError } from '../src/core/errors';
import { validateConfig, type EngineConfigPatch } from './config';

export const ENGINE_USAGE = `usage: engine.mjs [options]
  --port N              0 = a free port (default 0)          --host H        (default 127.0.0.1)
  --parallel N          slots per model, like OLLAMA_NUM_PARALLEL (default 1)
  --max-queue N         requests queued behind a model load before 503, like OLLAMA_MAX_QUEUE (default 512)
  --mode M              llama | paced | fault (default llama)
  --model M             tiny | mid (default tiny)            --models a,b    served names
  --eos-bias X          EOS logit bias of the generated model (-20 never stops; 0..1 stops naturally)
  --load-delay-ms N     added to every llama model load
  --no-prompt-cache     evaluate every prompt whole (default: reuse the slot's longest common prefix, as Ollama)
  --think-tokens N      thinking tokens a <name>-think model generates before its answer (default 16)
  --paced-ttft-ms N --paced-tps N --paced-tokens N --paced-load-ms N --paced-prefill-ms-per-token N
  --fault KIND          http404 http500 http503 midstream reset stall nodone malformed split
  --fault-after-good N --fault-count N --fault-probability P --fault-seed N --fault-stall-ms N --fault-at-token N
  --config-json JSON    the whole configuration as JSON (used by engine/api.ts)
  --stdin-lifeline      exit when stdin closes (the parent went away)`;

const NUMBER_FLAGS = {
  port: 'port', parallel: 'parallel', 'max-queue': 'maxQueue', 'eos-bias': 'eosBias', 'load-delay-ms': 'loadDelayMs', 'think-tokens': 'thinkTokens',
} as const;
const PACED_FLAGS = {
  'paced-ttft-ms': 'ttftMs', 'paced-tps': 'tokensPerSec', 'paced-tokens': 'tokens', 'paced-load-ms': 'loadMs', 'paced-prefill-ms-per-token': 'prefillMsPerToken',
} as const;
const FAULT_FLAGS = {
  'fault-after-good': 'afterGood', 'fault-count': 'count', 'fault-probability': 'probability', 'fault-seed': 'seed',
  'fault-stall-ms': 'stallMs', 'fault-at-token': 'atToken',
} as const;

function toNumber(flag: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new ChimeraError('E_BAD_INPUT', `--${flag} needs a number, got "${v}"`, { where: `--${flag}` });
  return n;
}

export interface EngineArgs { config: EngineConfigPatch; stdinLifeline: boolean; help: boolean }

export function parseEngineArgs(argv: string[]): EngineArgs {
  const stringFlags = ['host', 'mode', 'model', 'models', 'fault', 'config-json', ...Object.keys(NUMBER_FLAGS), ...Object.keys(PACED_FLAGS), ...Object.keys(FAULT_FLAGS)];
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(stringFlags.map((f) => [f, { type: 'string' as const }])),
        'stdin-lifeline': { type: 'boolean' },
        'no-prompt-cache': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new ChimeraError('E_BAD_INPUT', e instanceof Error ? e.message : String(e), { hint: ENGINE_USAGE });
  }
  const raw: Record<string, unknown> = {};
  if (typeof values['config-json'] === 'string') {
    try {
      Object.assign(raw, JSON.parse(values['config-json']) as Record<string, unknown>);
    } catch (e) {
      throw new ChimeraError('E_BAD_INPUT', `--config-json is not JSON: ${e instanceof Error ? e.message : String(e)}`, { where: '--config-json' });
    }
  }
  for (const key of ['host', 'mode', 'model'] as const) if (typeof values[key] === 'string') raw[key] = values[key];
  if (typeof values.models === 'string') raw.models = values.models.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (values['no-prompt-cache'] === true) raw.promptCache = false;
  for (const [flag, key] of Object.entries(NUMBER_FLAGS)) if (typeof values[flag] === 'string') raw[key] = toNumber(flag, values[flag]);
  const paced: Record<string, number> = { ...((raw.paced as Record<string, number> | undefined) ?? {}) };
  for (const [flag, key] of Object.entries(PACED_FLAGS)) if (typeof values[flag] === 'string') paced[key] = toNumber(flag, values[flag]);
  if (Object.keys(paced).length > 0) raw.paced = paced;
  const fault: Record<string, unknown> = { ...((raw.fault as Record<string, unknown> | undefined) ?? {}) };
  if (typeof values.fault === 'string') fault.kind = values.fault;
  for (const [flag, key] of Object.entries(FAULT_FLAGS)) if (typeof values[flag] === 'string') fault[key] = toNumber(flag, values[flag]);
  if (Object.keys(fault).length > 0) raw.fault = fault;
  return { config: validateConfig(raw, 'engine flags'), stdinLifeline: values['stdin-lifeline'] === true, help: values.help === true };
}
