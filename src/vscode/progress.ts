// Where cancellation crosses from VS Code to the core (once: CancellationToken → AbortController),
// and how runner events become the progress notification and the status bar item.
import type * as vscode from 'vscode';
import type { RunnerEvent } from '../core/runner/events';

/** Aborts `controller` when `token` is cancelled (also if it already is); dispose to unhook. */
export function abortOnCancel(token: vscode.CancellationToken, controller: AbortController): vscode.Disposable {
  if (token.isCancellationRequested) controller.abort(new DOMException('cancelled by the user', 'AbortError'));
  return token.onCancellationRequested(() => controller.abort(new DOMException('cancelled by the user', 'AbortError')));
}

export function formatEta(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Progress of one run as the user sees it: counts, ETA, the variant being measured. */
export class RunProgressView implements vscode.Disposable {
  private trId = '';
  private done = 0;
  private planned = 0;
  private eta: number | null = null;
  private variant = '';
  private failed = 0;

  constructor(private readonly progress: vscode.Progress<{ message?: string; increment?: number }>, private readonly status: vscode.StatusBarItem) {
    status.text = '$(loading~spin) Chimeraforge: preflight…';
    status.tooltip = 'Checking endpoints and models before the first run';
    status.command = 'chimeraforge.openDashboard';
    status.show();
    progress.report({ message: 'checking endpoints and models…' });
  }

  onEvent(e: RunnerEvent): void {
    switch (e.type) {
      case 'experiment-started':
        this.trId = e.trId;
        this.planned = e.planned;
        break;
      case 'run-started':
        this.variant = e.warmup ? `${e.variant} (warm-up)` : e.variant;
        break;
      case 'run-finished': {
        const before = this.done;
        this.done = e.done;
        this.planned = e.planned;
        this.eta = e.etaMs;
        if (e.status === 'failed') this.failed++;
        const inc = this.planned > 0 ? ((this.done - before) * 100) / this.planned : 0;
        this.progress.report({ message: this.message(), increment: inc });
        break;
      }
      case 'experiment-finished':
        this.done = e.counts.completed;
        break;
      default:
        return;
    }
    if (e.type !== 'run-finished') this.progress.report({ message: this.message() });
    this.status.text = `$(loading~spin) ${this.trId || 'Chimeraforge'} ${this.done}/${this.planned}${this.eta !== null ? ` · ETA ${formatEta(this.eta)}` : ''}`;
    this.status.tooltip = `${this.message()}\nClick to open the dashboard; "Chimeraforge: Cancel Run" stops it.`;
  }

  message(): string {
    const parts = [`${this.trId}: ${this.done}/${this.planned} runs`];
    if (this.variant) parts.push(this.variant);
    if (this.failed > 0) parts.push(`${this.failed} failed`);
    const eta = formatEta(this.eta);
    if (eta && this.done < this.planned) parts.push(`ETA ${eta}`);
    return parts.join(' · ');
  }

  dispose(): void {
    this.status.hide();
  }
}
