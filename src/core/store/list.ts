// Listing the TR directories of a reports directory: one entry each, corrupt ones included as errors.
import { join } from 'node:path';
import { existingTrIds } from './trId';
import { readMeta, shownStatus } from './read';
import { errorMessage } from '../errors';
import type { Counts, ShownStatus } from '../types';

export interface TrListing {
  id: string;
  dir: string;
  title: string;
  kind: string;
  status: ShownStatus;
  createdAt: string | null;
  finishedAt: string | null;
  counts: Counts | null;
  supersededBy: string | null;
  supersedes: string | null;
  imported: boolean;
  /** Set when meta.json could not be read; the entry is still listed so the user sees it. */
  error?: string;
}

export function listTrs(reportsDir: string): TrListing[] {
  return existingTrIds(reportsDir).map((id) => {
    const dir = join(reportsDir, id);
    try {
      const m = readMeta(dir);
      return {
        id,
        dir,
        title: m.title,
        kind: m.kind,
        status: shownStatus(m),
        createdAt: m.createdAt ?? null,
        finishedAt: m.finishedAt ?? null,
        counts: m.counts ?? null,
        supersededBy: m.supersededBy ?? null,
        supersedes: m.supersedes ?? null,
        imported: m.imported !== undefined,
      };
    } catch (e) {
      return { id, dir, title: '', kind: '', status: 'failed' as const, createdAt: null, finishedAt: null, counts: null, supersededBy: null, supersedes: null, imported: false, error: errorMessage(e) };
    }
  });
}
