// kind "command": one execution of an external implementation (docs/IMPLEMENTATIONS.md). The program
// gets a recording proxy as its endpoint; the harness measures start-up (spawn → first request at the
// proxy), spawn → exit, peak RSS and CPU time of its process tree, exit status and output tails.
import { statSync } from 'node:fs';
import { ChimeraError, errorMessage, isChimeraError, type ErrorCode } from '../../errors';
import type { ImplementationSpec } from '../../experiment/types';
import type { CallRecord, CommandRunMetrics } from '../../types';
import type { RunContext } from '../context';
import { fillCommand, type FilledCommand, type PlaceholderValues } from '../process/placeholders';
import { parseSelfReport } from '../process/selfReport';
import { runProcess, type ProcessResult } from '../process/spawn';
import { RecordingProxy } from '../proxy/recordingProxy';
import { firstInvalidReason } from '../validity';
import type { KindExecutor, RunOutcome } from './types';
import { variantOf } from './variant';

/** The overall limit of one program run is this many times the experiment's per-call timeoutMs. */
export const COMMAND_LIMIT_FACTOR = 10;
/** How long to wait after the exit for requests still passing through the proxy. */
const PROXY_SETTLE_MS = 2000;

export const NO_CALLS_REASON = 'no LLM calls reached the endpoint';

function failedOutcome(code: ErrorCode, error: string, wallMs: number, command?: CommandRunMetrics, calls: CallRecord[] = []): RunOutcome {
  return { status: 'failed', error, errorCode: code, valid: false, wallMs, calls, ...(command ? { command } : {}) };
}

function checkCwd(impl: ImplementationSpec, cmd: FilledCommand): void {
  let isDir = false;
  try {
    isDir = statSync(cmd.cwd).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new ChimeraError('E_COMMAND', `implementation "${impl.name}": working directory ${cmd.cwd} does not exist`, {
      where: `implementations[${impl.name}].cwd`, hint: 'a relative cwd resolves against the workspace folder',
    });
  }
}

/** Why a finished program run failed, or null when it exited 0. */
function processFailure(impl: ImplementationSpec, cmd: FilledCommand, r: ProcessResult, limitMs: number): { code: ErrorCode; message: string } | null {
  const who = `implementation "${impl.name}" (${cmd.argv[0]})`;
  switch (r.endReason) {
    case 'spawn-error': {
      const why = r.spawnError?.code === 'ENOENT' ? 'program not found' : r.spawnError?.code === 'EACCES' ? 'permission denied (not executable?)' : r.spawnError?.message ?? 'unknown error';
      return { code: 'E_COMMAND', message: `${who} could not start: ${why} [${r.spawnError?.code}] (cwd ${cmd.cwd})` };
    }
    case 'cancelled':
      return { code: 'E_ABORTED', message: `${who} was stopped: run cancelled` };
    case 'timeout':
      return { code: 'E_TIMEOUT', message: `${who} ran longer than ${limitMs} ms (${COMMAND_LIMIT_FACTOR} × timeoutMs) and was stopped` };
    case 'exit':
      if (r.exitCode === 0) return null;
      return { code: 'E_COMMAND', message: `${who} ${r.exitCode !== null ? `exited with code ${r.exitCode}` : `was killed by ${r.signal}`}${lastLine(r.stderrTail)}` };
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split(/\r?\n/);
  const last = lines[lines.length - 1]?.trim();
  return last ? `: ${last.slice(0, 300)}` : '';
}

/**
 * Stage durations from the calls (client side, as the proxy saw them): per stage, its first send → its
 * last end; total = first call sent → last call ended. The program's time outside LLM calls is
 * process_wall_ms minus this.
 */
export function stagesOf(calls: readonly CallRecord[]): Record<string, number> | undefined {
  if (calls.length === 0) return undefined;
  const span = new Map<string, [number, number]>();
  for (const c of calls) {
    const start = c.client.sendOffsetMs;
    const end = start + c.client.endMs;
    const s = span.get(c.stage);
    span.set(c.stage, s ? [Math.min(s[0], start), Math.max(s[1], end)] : [start, end]);
  }
  const all = [...span.values()];
  const out: Record<string, number> = {};
  for (const [stage, [a, b]] of span) out[stage] = b - a;
  out.total = Math.max(...all.map((x) => x[1])) - Math.min(...all.map((x) => x[0]));
  return out;
}

export const runCommandKind: KindExecutor = async (ctx: RunContext) => {
  const t0 = ctx.clock.now();
  const elapsed = (): number => ctx.clock.now() - t0;
  if (ctx.signal.aborted) return { status: 'cancelled', error: 'run cancelled before the program started', errorCode: 'E_ABORTED', valid: false, wallMs: 0, calls: [] };
  const v = variantOf(ctx);
  const impl = ctx.x.implementations?.find((i) => i.name === v.implementation);
  if (!impl) return failedOutcome('E_BAD_INPUT', `variant ${v.name} names no known implementation (${v.implementation ?? 'none'})`, elapsed());
  const endpointName = impl.endpoint ?? ctx.x.endpoint;
  const target = ctx.x.endpoints[endpointName];
  if (!target) return failedOutcome('E_BAD_INPUT', `implementation "${impl.name}": endpoint "${endpointName}" is not defined in "endpoints"`, elapsed());

  let proxy: RecordingProxy;
  try {
    const onContent = ctx.liveProgress();
    proxy = await RecordingProxy.start({ target, endpointName, clock: ctx.clock, runStartMs: ctx.runStartMs, coldThresholdMs: ctx.x.coldThresholdMs, log: ctx.log, ...(onContent ? { onContent } : {}) });
  } catch (e) {
    return failedOutcome('E_INTERNAL', `the recording proxy could not start: ${errorMessage(e)}`, elapsed());
  }
  const selfReported: CallRecord[] = [];
  let rejectedReports = 0;
  let cmd: FilledCommand;
  let r: ProcessResult;
  const limitMs = ctx.x.timeoutMs * COMMAND_LIMIT_FACTOR;
  try {
    let runDir: string;
    try {
      runDir = ctx.outputs.outputDir(`run${ctx.planned.index}`);
      const values: PlaceholderValues = {
        model: v.model, endpoint: proxy.url, options_json: JSON.stringify(v.options), run_dir: runDir,
        workspace: ctx.x.workspaceDir, variant: v.name, implementation: impl.name, run: String(ctx.planned.index),
      };
      cmd = fillCommand(impl, values, ctx.x.workspaceDir);
      checkCwd(impl, cmd);
    } catch (e) {
      return failedOutcome(isChimeraError(e) ? e.code : 'E_BAD_INPUT', errorMessage(e), elapsed());
    }
    // Programs that read OLLAMA_HOST (the ollama CLI, ollama-python) reach the proxy without an argument.
    const env: NodeJS.ProcessEnv = { ...process.env, OLLAMA_HOST: proxy.url, CHIMERAFORGE_ENDPOINT: proxy.url, CHIMERAFORGE_RUN_DIR: runDir, ...cmd.env };
    const reportCtx = { endpointName, url: target, runStartMs: ctx.runStartMs, coldThresholdMs: ctx.x.coldThresholdMs };
    ctx.log.debug(`command run ${ctx.planned.index}: ${JSON.stringify(cmd.argv)} in ${cmd.cwd} (endpoint ${proxy.url} → ${target})`);
    r = await runProcess({
      argv: cmd.argv, cwd: cmd.cwd, env, signal: ctx.signal, limitMs, clock: ctx.clock,
      onStdoutLine: (line, at) => {
        const rec = parseSelfReport(line, at, reportCtx, selfReported.length + 1);
        if (typeof rec === 'string') rejectedReports++;
        else if (rec) selfReported.push(rec);
      },
    });
    await proxy.settle(PROXY_SETTLE_MS);
  } finally {
    await proxy.close();
  }

  const proxied = proxy.records();
  const calls = proxied.length > 0 ? proxied : selfReported;
  if (rejectedReports > 0) ctx.log.warn(`implementation "${impl.name}": ${rejectedReports} {"chimeraforge":"call"} line(s) ignored (need "model" and "end_ms")`);
  if (proxied.length > 0 && selfReported.length > 0) ctx.log.debug(`implementation "${impl.name}": ${selfReported.length} self-reported call(s) ignored, the proxy recorded ${proxied.length}`);
  const command: CommandRunMetrics = {
    argv: cmd.argv,
    exitCode: r.exitCode,
    signal: r.signal,
    startup_ms: proxy.firstRequestAtMs !== null ? proxy.firstRequestAtMs - r.spawnAtMs : null,
    process_wall_ms: r.exitAtMs - r.spawnAtMs,
    peak_rss_mb: r.proc?.peakRssMb ?? null,
    cpu_ms: r.proc?.cpuMs ?? null,
    stdoutTail: r.stdoutTail,
    stderrTail: r.stderrTail,
    callsSource: proxied.length > 0 ? 'proxy' : selfReported.length > 0 ? 'self-report' : 'none',
    sample_interval_ms: r.sampleIntervalMs,
    samples: r.proc?.samples ?? 0,
  };
  const wallMs = elapsed();
  const failure = processFailure(impl, cmd, r, limitMs);
  if (failure) {
    const outcome = failedOutcome(failure.code, failure.message, wallMs, command, calls);
    if (r.endReason === 'cancelled') outcome.status = 'cancelled';
    return outcome;
  }
  const failedCall = calls.find((c) => c.status !== 'ok');
  const invalid = calls.length === 0
    ? NO_CALLS_REASON
    : failedCall
      ? `call ${failedCall.stage} failed: ${failedCall.error?.message ?? failedCall.status}`
      : firstInvalidReason(calls, ctx.validityRules());
  const stages = stagesOf(calls);
  return { status: 'ok', valid: invalid === null, ...(invalid ? { invalidReason: invalid } : {}), wallMs, calls, ...(stages ? { stages } : {}), command };
};
