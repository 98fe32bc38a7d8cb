// Unloading before a run (unloadBetweenVariants): cold loads measured on purpose, with the real unload
// (empty prompt + keep_alive 0), not the original program's `ollama stop all`.
import { createGatewayClient } from '../ollama/client';
import { unloadModel } from '../ollama/endpoint';
import { errorMessage } from '../errors';
import type { NormalizedExperiment } from '../experiment/types';
import type { PlannedRun } from '../experiment/plan';
import type { Clock, Logger } from '../ports';
import { modelsByEndpoint } from './preflightAll';

export async function unloadForRun(x: NormalizedExperiment, _p: PlannedRun, clock: Clock, log: Logger, signal?: AbortSignal): Promise<void> {
  for (const [name, models] of modelsByEndpoint(x)) {
    const client = createGatewayClient({ url: x.endpoints[name], name, clock });
    try {
      for (const model of models) await unloadModel(client, model, { ...(signal ? { signal } : {}) });
    } catch (e) {
      log.warn(`unload on ${name} failed: ${errorMessage(e)} (the next run may start warm)`);
    } finally {
      client.abort();
    }
  }
}
