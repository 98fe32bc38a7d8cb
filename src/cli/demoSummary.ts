// The few lines the demo prints at the end: what each TR found, with its definitions named.
import type { RunResult } from '../core/runner/runExperiment';
import { statOf } from '../core/stats/summaryTypes';
import type { CapacitySummary } from '../core/capacity/summary';
import { capacityVerdict, PLAIN_TEXT } from '../core/report/capacity';

const fmt = (x: number | null | undefined, d = 1): string => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : 'n/a');

export function demoSummaryLines(results: RunResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const s = r.meta.summary;
    lines.push(`${r.trId} (${r.meta.kind}, ${r.status}): ${r.meta.title}`);
    const cap = s.capacity as CapacitySummary | undefined;
    if (cap) {
      // A capacity variant's runs are different load levels: a mean over them answers nothing; each
      // variant's verdict and per-level output rate do.
      for (const v of cap.variants) {
        lines.push(`  ${capacityVerdict(v, cap, PLAIN_TEXT)}`);
        lines.push(`    output_tps by level (${cap.unit}): ${v.levels.map((l) => `${l.level}: ${fmt(l.output_tps.mean)}`).join(', ')}`);
      }
      continue;
    }
    for (const v of s.variants) {
      const tps = statOf(v, 'decode_tps');
      const ttft = statOf(v, 'ttft_ms');
      const wall = statOf(v, 'wall_ms');
      lines.push(`  ${v.name.padEnd(12)} n=${v.n}  decode_tps ${fmt(tps?.mean)} [95% CI ${fmt(tps?.ci95?.[0])}, ${fmt(tps?.ci95?.[1])}]  ttft_ms ${fmt(ttft?.mean)}  wall_ms ${fmt(wall?.mean, 0)}`);
    }
    for (const c of s.comparisons.filter((c) => c.metric === 'decode_tps' || c.metric === 'wall_ms')) lines.push(`  ${c.metric}: ${c.verdict}`);
    const ma = s.multiAgent as Record<string, unknown> | undefined;
    if (ma) {
      const o = statOf(ma, 'overlap_efficiency');
      const sp = statOf(ma, 'speedup_vs_sequential');
      lines.push(`  overlap_efficiency ${fmt(o?.mean)}% (the original "parallel efficiency")  speedup_vs_sequential ${fmt(sp?.mean, 2)}x (measured solo baseline)`);
    }
  }
  return lines;
}
