// Turning a command's argument into what it acts on (a TR, an experiment file); with no argument the
// user picks. Arguments skip the UI, which is how CodeLenses, tree items and tests call commands.
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { ChimeraError } from '../core/errors';
import { listTrs, type TrListing } from '../core/store/list';
import { compareTrIds, parseTrId } from '../core/store/trId';
import { trDirOf } from '../core/report/locate';
import { isTrNode } from './resultsTree';
import { presentTr } from './trItems';

export interface TrRef { readonly id: string; readonly dir: string }

/** The TR an argument names: a tree item, a TR id, or a URI of its directory, its meta.json or its report. */
export function trOfArgument(arg: unknown, reportsDir: string): TrRef | undefined {
  if (isTrNode(arg)) return { id: arg.listing.id, dir: arg.listing.dir };
  if (typeof arg === 'string' && arg.trim() !== '') {
    const id = arg.trim();
    return { id, dir: trDirOf(reportsDir, id) };
  }
  if (arg instanceof vscode.Uri) {
    const p = arg.fsPath;
    const report = /^Technical_Report_(\d+(?:_v\d+)?)\.md$/.exec(basename(p));
    if (report) {
      const id = `TR${report[1]}`;
      return { id, dir: trDirOf(dirname(p), id) };
    }
    const dir = basename(p) === 'meta.json' ? dirname(p) : p;
    const id = basename(dir);
    if (!parseTrId(id)) throw new ChimeraError('E_BAD_TR_ID', `${p} is not in a TR directory`, { where: p, hint: 'pick a TR<n> folder or its meta.json' });
    return { id, dir };
  }
  return undefined;
}

/** The TR of the argument, or one the user picks from the reports directory (undefined: dismissed). */
export async function resolveTr(arg: unknown, reportsDir: string, placeHolder: string, filter: (t: TrListing) => boolean = () => true): Promise<TrRef | undefined> {
  const given = trOfArgument(arg, reportsDir);
  if (given) return given;
  const trs = listTrs(reportsDir).filter(filter).sort((a, b) => compareTrIds(b.id, a.id));
  if (trs.length === 0) {
    throw new ChimeraError('E_NOT_FOUND', `no TR directories to choose from in ${reportsDir}`, { where: reportsDir, hint: 'run an experiment first (Chimeraforge: Run Experiment…) or check the chimeraforge.reportsDir setting' });
  }
  const picked = await vscode.window.showQuickPick(
    trs.map((t) => {
      const p = presentTr(t);
      return { label: p.label, description: p.description, ref: { id: t.id, dir: t.dir } };
    }),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.ref;
}

/** Workspace experiment files matching the chimeraforge.experimentsGlob setting. */
export async function findExperimentFiles(glob: string): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles(glob, '**/{node_modules,.git}/**', 500);
  return files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/** The meta.json of a TR directory. */
export function metaUri(ref: TrRef): vscode.Uri {
  return vscode.Uri.file(join(ref.dir, 'meta.json'));
}
