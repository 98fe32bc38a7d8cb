// Peak RSS and CPU time of a process tree, sampled from /proc (Linux). The kernel here has no
// /proc/<pid>/task/<tid>/children, and a full /proc scan costs ~5 ms — long enough to delay the
// proxy's chunks — so each sample lists /proc (~0.1 ms) and reads only pids it has never seen plus
// the tree's own members: a pid seen once as unrelated stays unrelated.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Default sampling interval (ms); stated in COMMAND_METRIC_DEFINITIONS and docs/IMPLEMENTATIONS.md (a test keeps them equal). */
export const PROC_SAMPLE_INTERVAL_MS = 25;
/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat, fixed at 100 by the Linux user ABI. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcStat {
  ppid: number;
  state: string;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
}

/** Parses /proc/<pid>/stat; fields are counted after the last ')' because comm may hold spaces and parens. */
export function parseStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const f = text.slice(close + 2).split(' ');
  // f[0] = state (field 3), f[1] = ppid (4), f[11..14] = utime, stime, cutime, cstime (14..17).
  const nums = [f[1], f[11], f[12], f[13], f[14]].map(Number);
  if (nums.some((n) => !Number.isFinite(n))) return null;
  return { state: f[0], ppid: nums[0], ticks: nums[1] + nums[2] + nums[3] + nums[4] };
}

/** VmRSS and VmHWM of /proc/<pid>/status in kB (0 when absent, e.g. for a zombie). */
export function parseStatusMemory(text: string): { rssKb: number; hwmKb: number } {
  const field = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

export interface ProcTreeResult {
  /** max over samples of Σ VmRSS of the tree, or the root's own VmHWM if higher (MiB); null without samples. */
  peakRssMb: number | null;
  /** Largest Σ (utime + stime + cutime + cstime) of the tree seen (ms); null without samples. */
  cpuMs: number | null;
  samples: number;
  /** Most processes seen in the tree at once. */
  maxProcesses: number;
}

export class ProcTreeSampler {
  private readonly unrelated = new Set<number>();
  private readonly tree = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private peakRssKb = 0;
  private rootHwmKb = 0;
  private maxTicks = 0;
  private samples = 0;
  private maxProcesses = 0;

  constructor(private readonly rootPid: number, private readonly intervalMs = PROC_SAMPLE_INTERVAL_MS, private readonly procRoot = '/proc') {}

  static available(procRoot = '/proc'): boolean {
    return process.platform === 'linux' && existsSync(`${procRoot}/self/stat`);
  }

  /** Marks every existing process as unrelated except the root, takes a first sample, then samples on a timer. */
  start(): void {
    for (const pid of this.listPids()) if (pid !== this.rootPid) this.unrelated.add(pid);
    this.tree.add(this.rootPid);
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  /** One sample now (also called on exit paths so short programs get at least one). */
  sample(): void {
    if (this.tree.size === 0) return;
    this.discover();
    let rss = 0;
    let ticks = 0;
    let alive = 0;
    for (const pid of [...this.tree]) {
      const stat = this.read(pid, 'stat');
      const status = stat !== null ? this.read(pid, 'status') : null;
      const parsed = stat !== null ? parseStat(stat) : null;
      if (parsed === null || status === null) {
        this.tree.delete(pid);
        continue;
      }
      alive++;
      ticks += parsed.ticks;
      const mem = parseStatusMemory(status);
      rss += mem.rssKb;
      if (pid === this.rootPid) this.rootHwmKb = Math.max(this.rootHwmKb, mem.hwmKb);
    }
    if (alive === 0) return;
    this.samples++;
    this.peakRssKb = Math.max(this.peakRssKb, rss, this.rootHwmKb);
    this.maxTicks = Math.max(this.maxTicks, ticks);
    this.maxProcesses = Math.max(this.maxProcesses, alive);
  }

  stop(): ProcTreeResult {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.tree.clear();
    return {
      peakRssMb: this.samples > 0 ? this.peakRssKb / 1024 : null,
      cpuMs: this.samples > 0 ? (this.maxTicks * 1000) / CLOCK_TICKS_PER_SECOND : null,
      samples: this.samples,
      maxProcesses: this.maxProcesses,
    };
  }

  /** Live members of the tree right now (for killing leftovers after the root exits). */
  members(): number[] {
    return [...this.tree];
  }

  private discover(): void {
    const fresh = new Map<number, number>();
    for (const pid of this.listPids()) {
      if (this.unrelated.has(pid) || this.tree.has(pid)) continue;
      const stat = this.read(pid, 'stat');
      const parsed = stat !== null ? parseStat(stat) : null;
      if (parsed) fresh.set(pid, parsed.ppid);
    }
    // Parents may be new too: repeat until no new member joins, then the rest is unrelated.
    for (let changed = true; changed; ) {
      changed = false;
      for (const [pid, ppid] of fresh) {
        if (this.tree.has(ppid)) {
          this.tree.add(pid);
          fresh.delete(pid);
          changed = true;
        }
      }
    }
    for (const pid of fresh.keys()) this.unrelated.add(pid);
  }

  private listPids(): number[] {
    let names: string[];
    try {
      names = readdirSync(this.procRoot);
    } catch {
      return [];
    }
    const out: number[] = [];
    for (const n of names) {
      const c = n.charCodeAt(0);
      if (c >= 48 && c <= 57) out.push(Number(n));
    }
    return out;
  }

  private read(pid: number, file: 'stat' | 'status'): string | null {
    try {
      return readFileSync(`${this.procRoot}/${pid}/${file}`, 'latin1');
    } catch {
      return null;
    }
  }
}
