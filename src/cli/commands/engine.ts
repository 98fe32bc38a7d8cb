// `chimeraforge engine`: runs the embedded Ollama-compatible engine in the foreground until Ctrl-C.
import { Option, type Command } from 'commander';
import { ChimeraError } from '../../core/errors';
import { startEngine } from '../../../engine/api';
import { FAULT_KINDS, validateConfig, type EngineConfig } from '../../../engine/config';

interface EngineCliOptions {
  port: string; host: string; parallel?: string; maxQueue?: string; mode?: string; model?: string; models?: string;
  eosBias?: string; loadDelayMs?: string; pacedTtftMs?: string; pacedTps?: string; pacedTokens?: string; pacedLoadMs?: string;
  pacedPrefillMsPerToken?: string; promptCache?: boolean; thinkTokens?: string;
  fault?: string; faultAfterGood?: string; faultCount?: string; faultProbability?: string; faultSeed?: string; faultStallMs?: string;
}

function num(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new ChimeraError('E_BAD_INPUT', `--${flag} needs a number, got "${v}"`, { where: `--${flag}` });
  return n;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Command-line options → the engine configuration, validated like every other way in. */
export function engineConfigFromCli(o: EngineCliOptions): EngineConfig {
  const paced = defined({ ttftMs: num('paced-ttft-ms', o.pacedTtftMs), tokensPerSec: num('paced-tps', o.pacedTps), tokens: num('paced-tokens', o.pacedTokens), loadMs: num('paced-load-ms', o.pacedLoadMs),
    prefillMsPerToken: num('paced-prefill-ms-per-token', o.pacedPrefillMsPerToken) });
  const fault = o.fault === undefined ? undefined : defined({
    kind: o.fault, afterGood: num('fault-after-good', o.faultAfterGood), count: num('fault-count', o.faultCount),
    probability: num('fault-probability', o.faultProbability), seed: num('fault-seed', o.faultSeed), stallMs: num('fault-stall-ms', o.faultStallMs),
  });
  const raw = defined({
    port: num('port', o.port), host: o.host, parallel: num('parallel', o.parallel), maxQueue: num('max-queue', o.maxQueue),
    mode: o.mode, model: o.model, models: o.models?.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    eosBias: num('eos-bias', o.eosBias), loadDelayMs: num('load-delay-ms', o.loadDelayMs),
    promptCache: o.promptCache === false ? false : undefined, thinkTokens: num('think-tokens', o.thinkTokens),
    paced: Object.keys(paced).length > 0 ? paced : undefined, fault,
  });
  return validateConfig(raw, 'chimeraforge engine') as EngineConfig;
}

async function runEngine(o: EngineCliOptions): Promise<void> {
  const cfg = engineConfigFromCli(o);
  const engine = await startEngine(cfg, { onLog: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: engine.url, pid: engine.pid })}\n`);
  process.stderr.write(`chimeraforge engine: serving on ${engine.url} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void engine.stop().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerEngineCommand(program: Command): void {
  program.command('engine')
    .description('Run the embedded Ollama-compatible engine (llama.cpp on CPU with a generated tiny model, or the paced/fault test modes) until Ctrl-C')
    .option('--port <n>', 'port to listen on (0 = a free port)', '11434')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--parallel <n>', 'parallel requests per model, like OLLAMA_NUM_PARALLEL (default 1)')
    .option('--max-queue <n>', 'requests queued behind a model load before 503 busy, like OLLAMA_MAX_QUEUE (default 512)')
    .addOption(new Option('--mode <mode>', 'llama (real inference), paced (exact token schedule) or fault (injected failures)').choices(['llama', 'paced', 'fault']))
    .addOption(new Option('--model <m>', 'generated model served by default').choices(['tiny', 'mid']))
    .option('--models <names>', 'comma-separated served model names (default: <model>:latest)')
    .option('--eos-bias <x>', 'EOS logit bias of the generated model: -20 never stops, 0..1 stops naturally')
    .option('--load-delay-ms <n>', 'added to every model load (clearer cold vs warm)')
    .option('--no-prompt-cache', 'evaluate every prompt whole (default: reuse the longest cached prefix per slot, as Ollama)')
    .option('--think-tokens <n>', 'thinking tokens a <name>-think model generates before its answer (default 16)')
    .option('--paced-ttft-ms <n>', 'paced: time to first token')
    .option('--paced-tps <n>', 'paced: tokens per second')
    .option('--paced-tokens <n>', 'paced: tokens per response')
    .option('--paced-load-ms <n>', 'paced: simulated load time of a cold request')
    .option('--paced-prefill-ms-per-token <n>', 'paced: prefill time per prompt token not served from the cache')
    .addOption(new Option('--fault <kind>', 'fault: what to inject').choices([...FAULT_KINDS]))
    .option('--fault-after-good <n>', 'fault: good requests before the first fault')
    .option('--fault-count <n>', 'fault: how many faults (default: all following requests)')
    .option('--fault-probability <p>', 'fault: chance per request (seeded)')
    .option('--fault-seed <n>', 'fault: seed of the probability draws')
    .option('--fault-stall-ms <n>', 'fault: how long a stall lasts')
    .action(runEngine);
}
