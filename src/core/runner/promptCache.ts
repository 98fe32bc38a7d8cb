// promptCache "cold" (PRODUCT.md §11.1, OLLAMA.md §2.1): Ollama's runner reuses the longest common token
// prefix of a slot's last prompt, so a repeated prompt is a cache hit and its TTFT describes a cached
// prefill. A short random prefix at the very start of the first system/user content makes every call's
// prompt differ from its first content token on; only what the template puts before that content (role
// tags, a Modelfile SYSTEM) can still come from the cache, and prompt_cached_tokens shows how much.
import { randomBytes } from 'node:crypto';
import type { Message } from 'ollama';

/** A fresh prefix: 8 random hex digits in brackets and a newline (a new one per attempt, never reused). */
export function newCachePrefix(): string {
  return `[${randomBytes(4).toString('hex')}]\n`;
}

/** chat: the prefix goes before the first system or user message's content (others are left as sent). */
export function prefixMessages(messages: readonly Message[], prefix: string): Message[] {
  const i = messages.findIndex((m) => m.role === 'system' || m.role === 'user');
  if (i < 0) return [...messages];
  return messages.map((m, j) => (j === i ? { ...m, content: `${prefix}${m.content ?? ''}` } : m));
}

/** generate: the template puts the system prompt first, so the prefix goes there when there is one. */
export function prefixGenerate(prompt: string, system: string | undefined, prefix: string): { prompt: string; system?: string } {
  return system !== undefined ? { prompt, system: `${prefix}${system}` } : { prompt: `${prefix}${prompt}` };
}
