import type { NormalizedVariant } from '../../experiment/types';
import type { RunContext } from '../context';

/** The normalised variant a planned run belongs to. */
export function variantOf(ctx: RunContext): NormalizedVariant {
  const v = ctx.x.variants.find((x) => x.name === ctx.planned.variant);
  if (!v) throw new Error(`plan names unknown variant ${ctx.planned.variant}`);
  return v;
}
