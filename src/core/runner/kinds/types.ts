// The contract between the runner and each experiment kind: a kind executes one planned run and
// returns what it measured; the runner adds the plan fields, records it and moves on.
import type { AgentRecord, CallRecord, CommandRunMetrics, MultiAgentRunMetrics, RunStatus } from '../../types';
import type { RunContext } from '../context';
import type { PlannedRun } from '../../experiment/plan';
import type { CapacityRunRecord } from '../../capacity/types';

export interface RunOutcome {
  status: RunStatus;
  error?: string;
  errorCode?: string;
  valid: boolean;
  invalidReason?: string;
  wallMs: number;
  calls: CallRecord[];
  stages?: Record<string, number>;
  filesIngested?: number;
  agents?: AgentRecord[];
  multiAgent?: MultiAgentRunMetrics;
  command?: CommandRunMetrics;
  capacity?: CapacityRunRecord;
}

/** Executes one planned run. Must not throw for a failed run: failures are outcomes with status failed. */
export type KindExecutor = ((ctx: RunContext) => Promise<RunOutcome>) & {
  /** Why a planned run is not run at all (capacity: the sweep of its variant stopped early), or null. */
  skip?: (p: PlannedRun) => string | null;
  /** Called once after the last run, also on cancel or a crash (capacity: stops its managed server). */
  dispose?: () => Promise<void>;
};
