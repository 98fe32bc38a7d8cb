// The messages between the extension host and the report worker (reportWorker.ts), and what a report
// written without the chart renderer says in place of its figures.
import type { ErrorCode } from '../core/errors';
import type { WriteReportResult } from '../core/report/write';

export interface ReportJob { readonly trDir: string; readonly reportsDir: string }

export type ReportJobReply =
  | { readonly ok: true; readonly result: WriteReportResult; /** whether PNG figures could be drawn */ readonly charts: boolean }
  | { readonly ok: false; readonly error: { code: ErrorCode; message: string; where?: string; hint?: string } };

/** What a report written without the chart renderer says in place of its figures. */
export const NO_FIGURES_NOTE = 'Figures are drawn in the dashboard only: this install of the extension (the universal .vsix) has no chart renderer. '
  + 'Open this TR in the dashboard (Chimeraforge: Open in Dashboard) to see them; the platform .vsix for this machine '
  + '(for example chimeraforge-linux-x64.vsix) or the chimeraforge CLI writes them here as PNG files.';
