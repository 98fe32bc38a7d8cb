import type { ExperimentKind } from '../../experiment/types';
import type { KindExecutor } from './types';
import { runPromptKind } from './prompt';
import { makeAgentKind } from './agent';
import { makeMultiAgentKind } from './multiAgent';
import { runCommandKind } from './command';
import { makeCapacityKind } from './capacity';

/** The executor of one experiment kind (fresh per experiment: multi-agent keeps its solo measurements). */
export function executorFor(kind: ExperimentKind, reportsDir: string): KindExecutor {
  switch (kind) {
    case 'prompt':
      return runPromptKind;
    case 'agent':
      return makeAgentKind(reportsDir);
    case 'multi-agent':
      return makeMultiAgentKind(reportsDir);
    case 'command':
      return runCommandKind;
    case 'capacity':
      return makeCapacityKind(reportsDir);
  }
}
