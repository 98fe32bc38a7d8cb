// kind "prompt": one generate/chat request of one prompt with the variant's options.
import type { KindExecutor } from './types';
import { variantOf } from './variant';
import { callInvalidReason } from '../validity';

export const runPromptKind: KindExecutor = async (ctx) => {
  const v = variantOf(ctx);
  const prompt = ctx.x.prompts[ctx.planned.promptIndex % ctx.x.prompts.length];
  const t0 = ctx.clock.now();
  const result = await ctx.call({ endpoint: ctx.x.endpoint, model: v.model, stage: 'prompt', prompt, ...(ctx.x.system ? { system: ctx.x.system } : {}), options: v.options });
  const wallMs = ctx.clock.now() - t0;
  const { record, text } = result;
  const ref = text.length > 0 ? ctx.outputs.writeOutput(`run${ctx.planned.index}_prompt.txt`, text) : undefined;
  if (ref) record.outputFile = ref;
  ctx.saveThinking(result, `run${ctx.planned.index}_prompt`);
  const invalid = callInvalidReason(record, ctx.validityRules());
  return {
    status: record.status,
    ...(record.error ? { error: record.error.message, errorCode: record.error.code } : {}),
    valid: record.status === 'ok' && invalid === null,
    ...(invalid ? { invalidReason: invalid } : {}),
    wallMs,
    calls: [record],
  };
};
