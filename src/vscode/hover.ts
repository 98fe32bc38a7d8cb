// A hover on `TR<n>` in markdown: the TR's title, status, date and key finding, with links that open
// it in the dashboard or preview its report.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { escapeInline, trRef } from '../core/report/format';
import { firstFinding } from '../core/report/reportsIndex';
import { readMeta, shownStatus } from '../core/store/read';
import { existingTrIds } from '../core/store/trId';
import { shortDate } from './trItems';

const TR_WORD = /\bTR\d+(?:_v\d+)?\b/;

export class TrHover implements vscode.HoverProvider {
  constructor(private readonly reportsDir: () => string) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const range = doc.getWordRangeAtPosition(pos, TR_WORD);
    if (!range) return undefined;
    const id = doc.getText(range);
    const dir = this.reportsDir();
    if (!existingTrIds(dir).includes(id)) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    try {
      const meta = readMeta(join(dir, id));
      const arg = encodeURIComponent(JSON.stringify([id]));
      // Titles are user text: escaped. The key finding comes markdown-escaped from the reports index.
      md.appendMarkdown(`**${id}** — ${escapeInline(meta.title)}\n\n`);
      md.appendMarkdown(`${escapeInline(`${meta.kind} · ${shownStatus(meta)} · ${shortDate(meta.createdAt ?? null)}`)}${meta.supersededBy ? ` · superseded by ${trRef(meta.supersededBy)}` : ''}\n\n`);
      md.appendMarkdown(firstFinding(meta));
      md.appendMarkdown(`\n\n[Open in Dashboard](command:chimeraforge.openInDashboard?${arg}) · [Preview Report](command:chimeraforge.previewReport?${arg})`);
    } catch (e) {
      md.appendMarkdown(`**${id}**: `);
      md.appendText(`cannot be read (${e instanceof Error ? e.message : String(e)})`);
    }
    md.isTrusted = { enabledCommands: ['chimeraforge.openInDashboard', 'chimeraforge.previewReport'] };
    return new vscode.Hover(md, range);
  }
}
