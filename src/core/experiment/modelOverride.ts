// `--model NAME` (CLI run and demo) and the model pick of the palette's Run Experiment…: the experiment
// runs unedited on the user's model. Every call uses NAME — the experiment's model, each variant's and
// each agent's, also where the file named one explicitly: someone running a template on their own
// model expects no call to go elsewhere. What was replaced is recorded in the experiment as run
// (meta.json `experiment.modelOverride`), so a report never hides that the file said otherwise.
import { ChimeraError } from '../errors';
import type { NormalizedExperiment } from './types';

export interface ModelOverride {
  /** The model every call used. */
  readonly model: string;
  /** The models the file (or the defaults) named and NAME replaced, distinct, in first-seen order. */
  readonly replaced: string[];
}

/** Checks a model name given on the command line or typed in the palette (an Ollama tag such as gemma3:latest). */
export function checkModelName(name: string, where: string): string {
  const m = name.trim();
  if (m === '' || /\s/.test(m)) {
    throw new ChimeraError('E_BAD_INPUT', `model name ${JSON.stringify(name)} is not an Ollama model tag`, { where, hint: 'give a tag such as gemma3:latest (see `ollama list`)' });
  }
  return m;
}

/** The models an experiment uses (its own, each variant's, each agent's), distinct, in first-seen order. */
export function modelsOf(x: Pick<NormalizedExperiment, 'model' | 'variants' | 'agents'>): string[] {
  return [...new Set([x.model, ...x.variants.map((v) => v.model), ...(x.agents ?? []).map((a) => a.model)])];
}

export function applyModelOverride(x: NormalizedExperiment, model: string | undefined, where = '--model'): NormalizedExperiment {
  if (model === undefined) return x;
  const name = checkModelName(model, where);
  const replaced = modelsOf(x).filter((m) => m !== name);
  const modelOverride: ModelOverride = { model: name, replaced };
  return {
    ...x,
    model: name,
    variants: x.variants.map((v) => ({ ...v, model: name })),
    ...(x.agents ? { agents: x.agents.map((a) => ({ ...a, model: name })) } : {}),
    modelOverride,
  };
}
