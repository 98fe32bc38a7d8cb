// Generated texts of a TR: one outputs.jsonl per TR (one line per saved text: {"name", "text"}), so a
// long run writes one file, not one per call (docs/TR-FILES.md). A call's `outputFile` is then
// "outputs.jsonl#<name>". TRs written before keep a path under outputs/ and read as they were.
import { readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { forEachLineSync } from '../report/runLines';

export const OUTPUTS_FILE = 'outputs.jsonl';
const PREFIX = `${OUTPUTS_FILE}#`;

/** The reference a call records for a text saved in outputs.jsonl under `name`. */
export function outputRef(name: string): string {
  return `${PREFIX}${name}`;
}

/**
 * Texts by reference (`outputFile` values): outputs.jsonl references are found in one pass over the
 * file (one line in memory at a time); earlier paths are read from the TR directory (never outside it). Missing ones are left out.
 */
export function readOutputs(trDir: string, refs: readonly string[]): Map<string, string> {
  const root = resolve(trDir);
  const out = new Map<string, string>();
  const wanted = new Set(refs.filter((r) => r.startsWith(PREFIX)).map((r) => r.slice(PREFIX.length)));
  if (wanted.size > 0) {
    forEachLineSync(join(root, OUTPUTS_FILE), (text) => {
      try {
        const o = JSON.parse(text) as { name?: unknown; text?: unknown };
        // The last text saved under a name wins (as a rewritten file did).
        if (typeof o.name === 'string' && typeof o.text === 'string' && wanted.has(o.name)) out.set(outputRef(o.name), o.text);
      } catch {
        // a torn last line (crash mid-write): the texts before it still read
      }
    });
  }
  for (const ref of refs) {
    if (ref.startsWith(PREFIX) || out.has(ref)) continue;
    const file = resolve(root, ref);
    if (!file.startsWith(root + sep)) continue; // output paths come from the record
    try {
      out.set(ref, readFileSync(file, 'utf8'));
    } catch {
      // a text that was not saved (or was removed) is simply not shown
    }
  }
  return out;
}
