// `chimeraforge gate <BASE-TR>[:variant] <NEW-TR>[:variant] --metric M [--max-regression PCT]`:
// the regression gate of PRODUCT.md §11.5. Exit 0 pass, 1 regression, 4 inconclusive, 2 bad input or a
// provenance mismatch (model digest / server version / GPU) unless --allow-mismatch. Writes nothing.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseGroupRef } from '../../core/report/compareTrs';
import { fmtNum } from '../../core/report/format';
import { gateTrs } from '../../core/report/gateTrs';
import type { GateResult } from '../../core/report/gateTypes';
import { DEFAULT_MAX_REGRESSION_PCT, GATE_CI_DEFINITION, GATE_HINT_DEFINITION, GATE_RULE_DEFINITION } from '../../core/stats/gate';
import { provenanceLines } from '../../core/store/provenance';
import { EXIT } from '../exit';

interface GateCliOptions { reportsDir: string; metric: string; maxRegression: string; json?: boolean; allowMismatch?: boolean }

const EXIT_BY_OUTCOME: Record<GateResult['outcome'], number> = {
  pass: EXIT.ok,
  regression: EXIT.runsFailed,
  inconclusive: EXIT.inconclusive,
  mismatch: EXIT.badInput,
};

export function gateExitCode(r: GateResult): number {
  return EXIT_BY_OUTCOME[r.outcome];
}

function humanLines(r: GateResult): string[] {
  const lines = [
    r.sentence,
    `  base ${r.base.tr}:${r.base.variant}: n=${r.nBase}, mean ${fmtNum(r.meanBase)} ${r.unit}`,
    `  new  ${r.new.tr}:${r.new.variant}: n=${r.nNew}, mean ${fmtNum(r.meanNew)} ${r.unit}`,
    `  CI: ${GATE_CI_DEFINITION}`,
    `  rule (margin ${fmtNum(r.maxRegressionPct)}%): ${GATE_RULE_DEFINITION}`,
  ];
  if (r.decision === 'inconclusive') lines.push(`  runs per side: ${r.runsPerSide ?? '—'}${r.note ? ` (${r.note})` : ''}. ${GATE_HINT_DEFINITION}`);
  lines.push(...provenanceLines(r.provenance, 'base → new'));
  if (r.outcome !== 'mismatch' && r.allowMismatch && r.provenance.some((d) => d.blocking)) lines.push('  decided despite the mismatch (--allow-mismatch)');
  lines.push(`exit ${gateExitCode(r)} (${r.outcome})`);
  return lines;
}

export function registerGateCommand(program: Command): void {
  program.command('gate')
    .description('Decide whether NEW regressed against BASE on one metric: exit 0 pass, 1 regression, 4 inconclusive, 2 bad input or provenance mismatch')
    .argument('<base>', 'baseline group: TR<n>[:variant]')
    .argument('<new>', 'new group: TR<n>[:variant]')
    .requiredOption('--metric <name>', 'per-run metric (decode_tps, ttft_ms, e2e_ms, wall_ms, …); its good direction is known')
    .option('--max-regression <pct>', 'how much worse than the baseline is tolerated, in percent', String(DEFAULT_MAX_REGRESSION_PCT))
    .option('--allow-mismatch', 'decide even when model digest, server version or GPU differ between the two sides')
    .option('--reports-dir <dir>', 'reports directory', 'reports')
    .option('--json', 'print the decision as JSON on stdout')
    .action((base: string, next: string, o: GateCliOptions) => {
      const r = gateTrs(resolve(o.reportsDir), parseGroupRef(base), parseGroupRef(next), {
        metric: o.metric, maxRegressionPct: Number(o.maxRegression.trim().replace(/%$/, '')), allowMismatch: o.allowMismatch === true,
      });
      const code = gateExitCode(r);
      if (o.json) process.stdout.write(`${JSON.stringify({ ...r, exitCode: code, definitions: { ci: GATE_CI_DEFINITION, rule: GATE_RULE_DEFINITION, runsPerSide: GATE_HINT_DEFINITION } })}\n`);
      else process.stdout.write(`${humanLines(r).join('\n')}\n`);
      process.exitCode = code;
    });
}
