// Progress on stderr: a one-line bar on a terminal (runs done/total, ETA, live tok/s), plain lines otherwise.
import type { RunnerEvent } from '../core/runner/events';

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class Progress {
  private done = 0;
  private planned = 0;
  private etaMs: number | null = null;
  private tps: number | null = null;
  private current = '';
  private trId = '';
  private lastDraw = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr, private readonly tty = Boolean(process.stderr.isTTY) && process.env.CI === undefined) {}

  onEvent = (e: RunnerEvent): void => {
    switch (e.type) {
      case 'experiment-started':
        this.planned = e.planned;
        this.trId = e.trId;
        this.line(`${e.trId}: ${e.title} — ${e.planned} runs (${e.kind}; variants ${e.variants.join(', ')}) → ${e.trDir}`);
        break;
      case 'run-started':
        this.planned = e.planned;
        this.current = `${e.variant}${e.warmup ? ' (warm-up)' : ''}${e.soloAgent ? ` solo ${e.soloAgent}` : ''}`;
        this.draw(true);
        break;
      case 'tokens':
        this.tps = e.tps;
        this.draw(false);
        break;
      case 'run-finished': {
        this.done = e.done;
        this.etaMs = e.etaMs;
        const what = e.status === 'ok' ? (e.valid ? 'ok' : `invalid: ${e.invalidReason}`) : `${e.status}: ${e.error ?? ''}`;
        if (!this.tty || e.status !== 'ok' || !e.valid) this.line(`run ${e.done}/${e.planned} ${e.variant}${e.warmup ? ' (warm-up)' : ''}${e.soloAgent ? ` solo ${e.soloAgent}` : ''}: ${what} in ${(e.wallMs / 1000).toFixed(2)}s${e.multiAgent ? `, overlap ${e.multiAgent.overlap_efficiency.toFixed(1)}%, speedup ${e.multiAgent.speedup_vs_sequential?.toFixed(2) ?? 'n/a'}` : ''}`);
        this.draw(true);
        break;
      }
      case 'adaptive-check':
        this.planned = e.planned;
        this.line(`adaptive repetitions: ${e.reason}`);
        break;
      case 'experiment-finished':
        this.clear();
        this.line(`${e.trId}: ${e.status} — ${e.counts.completed}/${e.counts.planned} runs, ${e.counts.failed} failed, ${e.counts.invalid} invalid, ${e.counts.warmup} warm-up`);
        break;
      default:
        break;
    }
  };

  private draw(force: boolean): void {
    if (!this.tty) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = 24;
    const filled = this.planned ? Math.round((this.done / this.planned) * width) : 0;
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
    const tps = this.tps !== null ? `${this.tps.toFixed(0)} tok/s` : '';
    this.out.write(`\r\x1b[2K${this.trId} ${bar} ${this.done}/${this.planned} ETA ${formatDuration(this.etaMs)} ${tps} ${this.current}`.slice(0, (this.out.columns ?? 120) - 1));
  }

  private clear(): void {
    if (this.tty) this.out.write('\r\x1b[2K');
  }

  line(text: string): void {
    this.clear();
    this.out.write(`${text}\n`);
  }
}
