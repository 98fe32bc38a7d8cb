// kind "agent": one execution of the agent workflow (ingest, analysis call, report call by default).
import type { KindExecutor } from './types';
import { variantOf } from './variant';
import { ingestInvalidReason, runWorkflow } from '../../workflow/run';
import { firstInvalidReason } from '../validity';

export function makeAgentKind(reportsDir: string): KindExecutor {
  return async (ctx) => {
    const v = variantOf(ctx);
    const workflow = ctx.x.workflow!;
    const r = await runWorkflow(ctx, { workflow, endpoint: ctx.x.endpoint, model: v.model, options: v.options, ...(ctx.x.system ? { system: ctx.x.system } : {}) }, reportsDir);
    const invalid = r.status === 'ok' ? (ingestInvalidReason(r, workflow) ?? firstInvalidReason(r.calls, ctx.validityRules())) : null;
    return {
      status: r.status,
      ...(r.error ? { error: r.error } : {}),
      ...(r.errorCode ? { errorCode: r.errorCode } : {}),
      valid: r.status === 'ok' && invalid === null,
      ...(invalid ? { invalidReason: invalid } : {}),
      wallMs: r.endMs - r.startMs,
      calls: r.calls,
      stages: r.stages,
      ...(r.filesIngested !== undefined ? { filesIngested: r.filesIngested } : {}),
    };
  };
}
