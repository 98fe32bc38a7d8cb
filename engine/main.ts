// Engine process entry (ESM bundle dist/engine.mjs). Prints one JSON line when listening; logs to stderr;
// SIGTERM/SIGINT close the server and exit 0.
import type { AddressInfo } from 'node:net';
import { ENGINE_USAGE, parseEngineArgs } from './args';
import { resolveConfig } from './config';
import { envConfig } from './env';
import { takeAdminToken } from './server/admin';
import { createEngineServer } from './server/http';
import { EngineState, type LlamaFactory } from './server/state';
import { isChimeraError } from '../src/core/errors';

const log = (msg: string): void => {
  process.stderr.write(`[engine ${process.pid}] ${msg}\n`);
};

// node-llama-cpp is loaded only when llama mode is used: paced and fault engines start without it.
const llamaFactory: LlamaFactory = async (cfg, logFn) => {
  const { createLlamaBackend } = await import('./llama/backend');
  return createLlamaBackend(cfg, logFn);
};

async function main(): Promise<void> {
  const args = parseEngineArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${ENGINE_USAGE}\n`);
    return;
  }
  // Ollama's environment variables (a managed server's env), overridden by flags / --config-json.
  const env = envConfig(process.env);
  const cfg = resolveConfig({ ...env.patch, ...args.config });
  const state = new EngineState(cfg, llamaFactory, log);
  // Prepare the llama backend (model file, llama.cpp) before listening, so the first request only loads the model.
  if (cfg.mode === 'llama') await state.active();
  const server = createEngineServer(state, takeAdminToken(process.env));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: `http://${host}:${port}`, pid: process.pid, mode: cfg.mode, models: cfg.models, parallel: cfg.parallel, maxQueue: cfg.maxQueue, keepAliveMs: cfg.keepAliveMs, env: env.applied })}\n`);
  log(`listening on http://${host}:${port} (mode ${cfg.mode}, parallel ${cfg.parallel}, max queue ${cfg.maxQueue}, keep_alive ${cfg.keepAliveMs} ms, models ${cfg.models.join(', ')}${Object.keys(env.applied).length ? `; from the environment: ${Object.entries(env.applied).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''})`);

  let closing = false;
  const shutdown = (why: string): void => {
    if (closing) return;
    closing = true;
    log(`${why}: shutting down`);
    server.closeAllConnections();
    server.close();
    // Exit promptly even if a native dispose hangs.
    setTimeout(() => process.exit(0), 2_000).unref();
    state.dispose().then(() => process.exit(0), () => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  if (args.stdinLifeline) {
    process.stdin.on('end', () => shutdown('parent went away'));
    process.stdin.on('error', () => shutdown('parent went away'));
    process.stdin.resume();
  }
}

main().catch((e: unknown) => {
  if (isChimeraError(e)) log(e.describe());
  else log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(isChimeraError(e, 'E_BAD_INPUT') ? 2 : 1);
});
