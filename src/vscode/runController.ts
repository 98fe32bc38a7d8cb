// One experiment at a time from this window: validate, run through the core with a cancellable
// progress notification and a status bar item, stream events to the dashboard, then write the report.
import * as vscode from 'vscode';
import { ChimeraError, errorMessage, isChimeraError } from '../core/errors';
import type { RunnerEvent } from '../core/runner/events';
import { runExperiment } from '../core/runner/runExperiment';
import type { Counts, TrStatus } from '../core/types';
import type { ChimeraforgeConfig } from './config';
import type { DashboardBridge } from './dashboardBridge';
import { Disposable } from './disposable';
import type { ChannelLog } from './log';
import { abortOnCancel, RunProgressView } from './progress';
import type { ReportWrites } from './reportWriting';
import { cliCommand, endpointsNeedingConsent, prepareExperiment } from './runSetup';
import type { NormalizedExperiment } from '../core/experiment/types';

export interface RunRequest {
  readonly file: string;
  /** TR id to write instead of the next free one. */
  readonly tr?: string;
  /** Open the dashboard's live view (default true). */
  readonly dashboard?: boolean;
  /** Run every call on this model instead of the file's (the palette's model pick). */
  readonly model?: string;
}

export interface RunOutcome {
  readonly trId: string;
  readonly trDir: string;
  readonly status: TrStatus;
  readonly counts: Counts;
  /** The technical report written after the run; null if writing it failed (said in the log). */
  readonly reportFile: string | null;
}

export interface RunControllerDeps {
  readonly log: ChannelLog;
  readonly config: () => ChimeraforgeConfig;
  readonly reportsDir: () => string;
  readonly workspaceDir: () => string | undefined;
  readonly dashboard: DashboardBridge;
  readonly reports: ReportWrites;
  /** Called after the TR directory and its report are written (tree refresh, offers). */
  readonly onFinished: (o: RunOutcome) => void;
}

interface ActiveRun { readonly controller: AbortController; readonly file: string; trId?: string }

export class RunController extends Disposable {
  private active: ActiveRun | undefined;
  private readonly status: vscode.StatusBarItem;
  private readonly events = new vscode.EventEmitter<RunnerEvent>();
  /** Every runner event of the current run, as it happens. */
  readonly onEvent = this.events.event;

  constructor(private readonly deps: RunControllerDeps) {
    super();
    this.status = this._register(vscode.window.createStatusBarItem('chimeraforge.run', vscode.StatusBarAlignment.Left, 50));
    this.status.name = 'Chimeraforge run';
    this._register(this.events);
    // Deactivation (window closing, extension host restart) mid-run: abort, so the TR ends as cancelled.
    this._register({ dispose: () => this.active?.controller.abort(new DOMException('the extension is shutting down', 'AbortError')) });
  }

  get running(): { file: string; trId?: string } | undefined {
    return this.active ? { file: this.active.file, ...(this.active.trId ? { trId: this.active.trId } : {}) } : undefined;
  }

  /** Aborts the run in progress (in-flight requests included); false when nothing runs. */
  cancel(): boolean {
    if (!this.active) return false;
    this.deps.log.info(`cancel requested for ${this.active.trId ?? this.active.file}`);
    this.active.controller.abort(new DOMException('cancelled by the user', 'AbortError'));
    return true;
  }

  /** Untrusted workspace: prompts go to an endpoint off this machine only after the user says so. */
  private async confirmEndpoints(file: string, x: NormalizedExperiment, trusted: boolean): Promise<void> {
    const remote = endpointsNeedingConsent(file, x, trusted);
    if (remote.length === 0) return;
    const list = remote.map((e) => `${e.name} = ${e.url}`).join(', ');
    const send = 'Send to These Endpoints';
    const answer = await vscode.window.showWarningMessage(
      `"${x.title}" comes from an untrusted workspace and sends its prompts to endpoints off this machine: ${list}.`,
      { modal: true, detail: 'Only loopback endpoints are used without asking while the workspace is not trusted.' },
      send,
    );
    if (answer !== send) {
      throw new ChimeraError('E_UNTRUSTED', `not sent: the experiment file names endpoints off this machine (${list}) in an untrusted workspace`, {
        where: file, hint: 'confirm when asked, use loopback endpoints, or trust the workspace (Workspaces: Manage Workspace Trust)',
      });
    }
  }

  /** The outcome, or undefined when it was cancelled before its TR directory existed (nothing written). */
  async run(req: RunRequest): Promise<RunOutcome | undefined> {
    if (this.active) {
      throw new ChimeraError('E_BAD_INPUT', `a run is already in progress (${this.active.trId ?? this.active.file})`, {
        hint: 'wait for it to finish or run "Chimeraforge: Cancel Run"',
      });
    }
    const cfg = this.deps.config();
    const workspaceDir = this.deps.workspaceDir() ?? process.cwd();
    const reportsDir = this.deps.reportsDir();
    // Invalid files fail here, before any directory is created.
    const trusted = vscode.workspace.isTrusted;
    const x = prepareExperiment(req.file, cfg, workspaceDir, req.model, trusted);
    await this.confirmEndpoints(req.file, x, trusted);
    const active: ActiveRun = { controller: new AbortController(), file: req.file };
    this.active = active;
    this.deps.dashboard.reset();
    if (req.dashboard ?? true) this.deps.dashboard.show({ kind: 'live' });
    this.deps.log.info(`run: ${req.file} (${x.kind}, ${x.variants.length} variant(s)${x.modelOverride ? `, every call on ${x.modelOverride.model}` : ''}) → ${reportsDir}`);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Chimeraforge: ${x.title}`, cancellable: true },
        async (progress, token) => {
          const view = new RunProgressView(progress, this.status);
          const hook = abortOnCancel(token, active.controller);
          try {
            return await runExperiment(x, {
              reportsDir,
              ...(req.tr ? { tr: req.tr } : {}),
              signal: active.controller.signal,
              trusted,
              gpuSampling: cfg.gpuSampling,
              log: this.deps.log,
              command: cliCommand(req.file, workspaceDir, reportsDir, x.endpoints, x.modelOverride?.model),
              onEvent: (e) => {
                if (e.type === 'experiment-started') active.trId = e.trId;
                view.onEvent(e);
                this.deps.dashboard.post(e);
                this.events.fire(e);
              },
            });
          } catch (e) {
            // Cancelled during the preflight: no TR directory was made, so there is nothing to keep.
            if (active.controller.signal.aborted && !active.trId && isChimeraError(e, 'E_ABORTED')) {
              this.deps.log.info(`${req.file}: cancelled before the first run; nothing written`);
              return undefined;
            }
            throw e;
          } finally {
            hook.dispose();
            view.dispose();
          }
        },
      );
      if (!result) return undefined;
      const outcome: RunOutcome = { trId: result.trId, trDir: result.trDir, status: result.status, counts: result.meta.counts, reportFile: await this.report(result.trDir, reportsDir) };
      this.deps.log.info(`${outcome.trId}: ${outcome.status} (${outcome.counts.completed} of ${outcome.counts.planned} runs done, ${outcome.counts.failed} failed) in ${outcome.trDir}`);
      this.deps.onFinished(outcome);
      return outcome;
    } finally {
      this.active = undefined;
    }
  }

  /** The report never changes a run's outcome: a failure is logged and the TR stays as written. */
  private async report(trDir: string, reportsDir: string): Promise<string | null> {
    try {
      return (await this.deps.reports.write(trDir, reportsDir)).reportFile;
    } catch (e) {
      this.deps.log.error(`report for ${trDir} not written: ${e instanceof ChimeraError ? e.describe() : errorMessage(e)}`);
      return null;
    }
  }
}
