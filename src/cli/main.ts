// The chimeraforge command: one subcommand per module under ./commands, all over src/core.
import { Command, CommanderError } from 'commander';
import { EXIT, exitCodeFor, reportError } from './exit';
import { TOOL_VERSION } from '../core/version';
import { registerEngineCommand } from './commands/engine';
import { registerRunCommand } from './commands/run';
import { registerListCommand } from './commands/list';
import { registerDemoCommand } from './commands/demo';
import { registerReportCommand } from './commands/report';
import { registerCompareCommand } from './commands/compare';
import { registerGateCommand } from './commands/gate';
import { registerSupersedeCommand } from './commands/supersede';
import { registerIndexCommand } from './commands/index';
import { registerCompendiumCommand } from './commands/compendium';
import { registerImportCommand } from './commands/import';
import { registerMergeCommand } from './commands/merge';

export function buildProgram(): Command {
  const program = new Command('chimeraforge')
    .description('Run LLM performance experiments against Ollama servers and manage TR result directories.')
    .version(TOOL_VERSION)
    .showHelpAfterError()
    .exitOverride();
  // Subcommands register themselves here, one line each.
  registerEngineCommand(program);
  registerRunCommand(program);
  registerListCommand(program);
  registerDemoCommand(program);
  registerReportCommand(program);
  registerCompareCommand(program);
  registerGateCommand(program);
  registerSupersedeCommand(program);
  registerIndexCommand(program);
  registerCompendiumCommand(program);
  registerImportCommand(program);
  registerMergeCommand(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help / --version exit 0; usage errors are bad input.
      return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    reportError(e);
    return exitCodeFor(e);
  }
}

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (e) => { reportError(e); process.exitCode = EXIT.runsFailed; },
);
