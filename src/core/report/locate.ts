// Resolving a TR id to its directory, with errors that say where we looked and what exists.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ChimeraError } from '../errors';
import { metaPath, readMeta, shownStatus } from '../store/read';
import { assertTrId, existingTrIds } from '../store/trId';

/** The TR directory of `id` under reportsDir; E_BAD_TR_ID for a malformed id, E_NOT_FOUND listing the known ids. */
export function trDirOf(reportsDir: string, id: string, where = 'TR id'): string {
  assertTrId(id, where);
  const dir = join(reportsDir, id);
  if (!existsSync(metaPath(dir))) {
    const known = existingTrIds(reportsDir);
    throw new ChimeraError('E_NOT_FOUND', `${id} does not exist in the reports directory ${reportsDir}`, {
      where: dir,
      details: [known.length ? `known TR ids: ${known.join(', ')}` : 'the reports directory holds no TR directories'],
      hint: 'check the id, or point --reports-dir at the folder that holds it',
    });
  }
  return dir;
}

/** Refuses to change a TR whose writer is still running (it owns meta.json until it finishes). */
export function assertNotRunning(dir: string, id: string, action: string): void {
  if (shownStatus(readMeta(dir)) === 'running') {
    throw new ChimeraError('E_BAD_INPUT', `${id} is still being written by a running experiment; cannot ${action} now`, {
      where: dir, hint: 'wait for the run to finish (or cancel it), then try again',
    });
  }
}
