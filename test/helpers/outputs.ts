// Generated texts in tests: read one by its call's reference, or replace one (a later outputs.jsonl line
// under the same name wins, as a rewritten file did in earlier TRs).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOutputs } from '../../src/core/store/outputs';

export function outputText(trDir: string, ref: string | undefined): string | undefined {
  return ref === undefined ? undefined : readOutputs(trDir, [ref]).get(ref);
}

export function replaceOutputText(trDir: string, ref: string, text: string): void {
  appendFileSync(join(trDir, 'outputs.jsonl'), `${JSON.stringify({ name: ref.slice('outputs.jsonl#'.length), text })}\n`);
}
