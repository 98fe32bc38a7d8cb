// Writing a TR's technical report from the extension: with PNG figures where the native canvas is
// installed (a checkout), without them otherwise (the .vsix), said once in the log.
import type { Logger } from '../core/ports';
import { writeReport, type WriteReportResult } from '../core/report/write';
import { canvasAvailable } from './lazyCanvas';

let toldNoFigures = false;

export function writeTrReport(trDir: string, reportsDir: string, log: Logger): WriteReportResult {
  const charts = canvasAvailable();
  if (!charts && !toldNoFigures) {
    toldNoFigures = true;
    log.warn('reports are written without PNG figures: @napi-rs/canvas is not installed with this extension (the dashboard draws every chart)');
  }
  const r = writeReport(trDir, { reportsDir, charts });
  for (const c of r.corrupt) log.warn(`${trDir}: runs.jsonl line ${c.line} skipped: ${c.error}`);
  return r;
}
