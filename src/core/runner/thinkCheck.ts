// Before anything runs: a variant that sends think (true or a level) to a model without the "thinking"
// capability gets HTTP 400 "<model> does not support thinking" on every call from Ollama, so the whole
// experiment would record failures. Checked against /api/show capabilities; a server that lists none
// (older Ollama) is not judged.
import { ChimeraError } from '../errors';
import type { NormalizedExperiment } from '../experiment/types';
import type { ModelInfo } from '../ollama/endpoint';

/** Models an endpoint is sent `think` for (true or a level), with the variants that send it. */
function thinkingModels(x: NormalizedExperiment, endpoint: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (model: string, variant: string): void => {
    out.set(model, [...(out.get(model) ?? []), variant]);
  };
  for (const v of x.variants) {
    if (v.think === undefined || v.think === false) continue;
    if (x.kind === 'multi-agent') for (const a of x.agents ?? []) { if (a.endpoint === endpoint) add(a.model, v.name); }
    else if ((x.capacity?.load.endpoints ?? [x.endpoint]).includes(endpoint)) add(v.model, v.name);
  }
  return out;
}

/** Throws E_BAD_INPUT naming the variants, model and endpoint when think cannot be honoured there. */
export function checkThinkCapable(x: NormalizedExperiment, endpoint: string, models: readonly string[], infos: readonly ModelInfo[]): void {
  for (const [model, variants] of thinkingModels(x, endpoint)) {
    const caps = infos[models.indexOf(model)]?.capabilities ?? [];
    if (caps.length === 0 || caps.includes('thinking')) continue;
    throw new ChimeraError('E_BAD_INPUT', `variant${variants.length > 1 ? 's' : ''} ${variants.map((v) => `"${v}"`).join(', ')} send${variants.length > 1 ? '' : 's'} think to model '${model}', which does not think (its capabilities: ${caps.join(', ')}); Ollama answers every such call with HTTP 400 "does not support thinking"`, {
      where: `think — endpoint '${endpoint}' (${x.endpoints[endpoint]}), model '${model}'`,
      hint: 'remove think (or set it to false) for this model, or use a model whose /api/show capabilities include "thinking"',
    });
  }
}
