// Worker-thread entry (dist/reportWorker.js): writes one TR's report off the extension host's thread.
// A report reads every run of runs.jsonl and draws the PNG figures: seconds for a big TR, which on the
// host's thread would freeze every extension for that long. Figures are drawn where the chart renderer
// is installed with the extension (the platform .vsix); elsewhere the report says why it has none.
import { parentPort } from 'node:worker_threads';
import { ChimeraError, errorMessage } from '../core/errors';
import { writeReport } from '../core/report/write';
import { canvasAvailable } from './lazyCanvas';
import type { ReportJob, ReportJobReply } from './reportJob';
import { NO_FIGURES_NOTE } from './reportJob';

parentPort?.on('message', (job: ReportJob) => {
  let reply: ReportJobReply;
  try {
    const charts = canvasAvailable();
    const result = writeReport(job.trDir, { reportsDir: job.reportsDir, charts, ...(charts ? {} : { figuresNote: NO_FIGURES_NOTE }) });
    reply = { ok: true, result, charts };
  } catch (e) {
    reply = e instanceof ChimeraError
      ? { ok: false, error: { code: e.code, message: e.message, ...(e.where ? { where: e.where } : {}), ...(e.hint ? { hint: e.hint } : {}) } }
      : { ok: false, error: { code: 'E_INTERNAL', message: errorMessage(e) } };
  }
  parentPort!.postMessage(reply);
});
