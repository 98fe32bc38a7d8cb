// Warnings before anything runs (PRODUCT.md §11.1, OLLAMA.md §2.4): settings that would put unplanned
// model loads inside measured runs. They do not stop the run; they are logged and kept in meta.json notes.
import { loadOptions } from '../experiment/plan';
import type { NormalizedExperiment } from '../experiment/types';
import { keepAliveMs, OLLAMA_DEFAULT_KEEP_ALIVE_MS } from '../ollama/duration';

function cooldownWarning(x: NormalizedExperiment): string | null {
  if (x.cooldownMs <= 0) return null;
  const sent = x.keepAlive !== undefined;
  const ka = sent ? keepAliveMs(x.keepAlive!) : OLLAMA_DEFAULT_KEEP_ALIVE_MS;
  if (ka === null || !(x.cooldownMs > ka)) return null;
  const what = sent ? `keepAlive ${JSON.stringify(x.keepAlive)}` : 'Ollama\'s default keep_alive (5m, unless the server sets OLLAMA_KEEP_ALIVE)';
  return `cooldownMs ${x.cooldownMs} exceeds ${what}: the model unloads during every cooldown and each run starts with a model load (marked cold${x.coldRuns === 'exclude' ? ' and excluded' : ''}); raise keepAlive above the cooldown or shorten the cooldown`;
}

/** Agents that send one model to one endpoint with different load-time options at the same time. */
function pingPongWarnings(x: NormalizedExperiment): string[] {
  if (x.kind !== 'multi-agent' || !x.agents) return [];
  const out = new Set<string>();
  for (const v of x.variants) {
    const byTarget = new Map<string, { agent: string; opts: string }[]>();
    for (const a of x.agents) {
      const opts = JSON.stringify(loadOptions({ ...a.options, ...(v.agentOptions?.[a.name] ?? {}) }));
      const key = `${a.endpoint}\u0000${a.model}`;
      byTarget.set(key, [...(byTarget.get(key) ?? []), { agent: a.name, opts }]);
    }
    for (const [key, agents] of byTarget) {
      if (new Set(agents.map((a) => a.opts)).size < 2) continue;
      const [endpoint, model] = key.split('\u0000');
      out.add(`variant ${v.name}: agents ${agents.map((a) => `${a.agent} ${a.opts}`).join(', ')} send ${model} to endpoint ${endpoint} at the same time with different load-time options: Ollama reloads the model whenever the other agent's request arrives (reload ping-pong), so model loads land inside measured runs; give them the same load-time options or separate endpoints`);
    }
  }
  return [...out];
}

export function preRunWarnings(x: NormalizedExperiment): string[] {
  const cooldown = cooldownWarning(x);
  return [...(cooldown ? [cooldown] : []), ...pingPongWarnings(x)];
}
