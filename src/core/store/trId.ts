// TR ids: TR<number> with an optional _v<k> suffix. Validated before they ever become a path.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ChimeraError } from '../errors';

const TR_ID = /^TR([0-9]{1,9})(?:_v([0-9]{1,4}))?$/;

export interface ParsedTrId { id: string; number: number; version: number | null }

export function parseTrId(id: string): ParsedTrId | null {
  const m = TR_ID.exec(id);
  return m ? { id, number: Number(m[1]), version: m[2] !== undefined ? Number(m[2]) : null } : null;
}

/** Throws E_BAD_TR_ID for anything that is not TR<n>[_v<k>] (path separators, "..", spaces…). */
export function assertTrId(id: string, where = 'TR id'): ParsedTrId {
  const p = parseTrId(id);
  if (!p) {
    throw new ChimeraError('E_BAD_TR_ID', `"${id}" is not a TR id`, { where, hint: 'use TR<number> or TR<number>_v<k>, e.g. TR116 or TR111_v2' });
  }
  return p;
}

/** The report file name beside the TR directories: TR111_v2 → Technical_Report_111_v2.md. */
export function reportFileName(id: string): string {
  return `Technical_Report_${assertTrId(id).id.slice(2)}.md`;
}

/** Sort order of TR ids: by number, then version (TR9 < TR10 < TR10_v2). */
export function compareTrIds(a: string, b: string): number {
  const pa = parseTrId(a);
  const pb = parseTrId(b);
  if (!pa || !pb) return a.localeCompare(b);
  return pa.number - pb.number || (pa.version ?? 1) - (pb.version ?? 1);
}

export function existingTrIds(reportsDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(reportsDir);
  } catch {
    return [];
  }
  return names.filter((n) => parseTrId(n) !== null).sort(compareTrIds);
}

/**
 * Reserve a TR directory atomically. mkdir either creates the directory or fails with EEXIST, so two
 * processes racing for the same number never both get it: the loser moves on to the next number.
 */
export function reserveTrDir(reportsDir: string, requested?: string): { id: string; dir: string } {
  if (requested !== undefined) {
    assertTrId(requested, 'tr');
    const dir = join(reportsDir, requested);
    try {
      mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new ChimeraError('E_BAD_INPUT', `${requested} already exists in ${reportsDir}`, { where: dir, hint: 'choose another id (or a _v<k> suffix), or leave "tr" out to take the next free number' });
      }
      throw e;
    }
    return { id: requested, dir };
  }
  let next = Math.max(0, ...existingTrIds(reportsDir).map((id) => parseTrId(id)!.number)) + 1;
  for (;;) {
    const id = `TR${next}`;
    const dir = join(reportsDir, id);
    try {
      mkdirSync(dir);
      return { id, dir };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      next++;
    }
  }
}
