// `supersede OLD NEW --reason`: lineage kept in both meta.json files (old.supersededBy + reason,
// new.supersedes); nothing is deleted, an earlier lineage is kept as a note; reports and index follow.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ChimeraError } from '../errors';
import { writeJsonAtomic } from '../store/files';
import { metaPath, readMeta } from '../store/read';
import { reportFileName } from '../store/trId';
import { assertNotRunning, trDirOf } from './locate';
import { regenerateIndex } from './reportsIndex';
import { writeReport } from './write';

export interface SupersedeResult { oldId: string; newId: string; reason: string; index: string }

export function supersede(reportsDir: string, oldId: string, newId: string, reason: string): SupersedeResult {
  const oldDir = trDirOf(reportsDir, oldId, 'OLD');
  const newDir = trDirOf(reportsDir, newId, 'NEW');
  const why = reason.trim();
  if (oldId === newId) throw new ChimeraError('E_BAD_INPUT', `a TR cannot supersede itself (${oldId})`, { where: oldId });
  if (why === '') throw new ChimeraError('E_BAD_INPUT', 'a reason is required', { where: '--reason', hint: 'say why, e.g. --reason "30 → 150 runs"' });
  assertNotRunning(oldDir, oldId, 'mark it superseded');
  assertNotRunning(newDir, newId, 'record what it supersedes');
  const oldMeta = readMeta(oldDir);
  const newMeta = readMeta(newDir);
  if (newMeta.supersededBy === oldId) {
    throw new ChimeraError('E_BAD_INPUT', `${newId} is already superseded by ${oldId}; the lineage would be a cycle`, { where: `${oldId} → ${newId}` });
  }
  if (oldMeta.supersededBy && oldMeta.supersededBy !== newId) {
    oldMeta.notes = [...(oldMeta.notes ?? []), `Previously superseded by ${oldMeta.supersededBy} (${oldMeta.supersedeReason ?? 'no reason'}); now by ${newId}.`];
  }
  if (newMeta.supersedes && newMeta.supersedes !== oldId) {
    newMeta.notes = [...(newMeta.notes ?? []), `Also supersedes ${newMeta.supersedes} (recorded earlier); now records ${oldId}.`];
  }
  oldMeta.supersededBy = newId;
  oldMeta.supersedeReason = why;
  newMeta.supersedes = oldId;
  writeJsonAtomic(metaPath(oldDir), oldMeta);
  writeJsonAtomic(metaPath(newDir), newMeta);
  // Reports that exist show the new lineage; figures are left as they are.
  for (const [id, dir] of [[oldId, oldDir], [newId, newDir]] as const) {
    if (existsSync(join(reportsDir, reportFileName(id)))) writeReport(dir, { reportsDir, charts: false, index: false });
  }
  return { oldId, newId, reason: why, index: regenerateIndex(reportsDir) };
}
