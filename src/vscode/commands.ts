// Every palette command in one table {id, run}; each handler is a few lines over the core.
// Ids here and `contributes.commands` in package.json must match (checked by the manifest test).
import * as vscode from 'vscode';
import { ChimeraError, errorMessage } from '../core/errors';
import type { ChimeraforgeConfig } from './config';
import type { ChannelLog } from './log';

/** What a command handler may use; built once in activate(). */
export interface CommandServices {
  readonly log: ChannelLog;
  readonly config: () => ChimeraforgeConfig;
}

export interface CommandSpec {
  readonly id: `chimeraforge.${string}`;
  run(services: CommandServices, ...args: unknown[]): unknown;
}

export const COMMANDS: readonly CommandSpec[] = [
  { id: 'chimeraforge.showLog', run: ({ log }) => log.show() },
];

/** Registers every command; a failing handler is logged and shown to the user, never swallowed silently. */
export function registerCommands(services: CommandServices, table: readonly CommandSpec[] = COMMANDS): vscode.Disposable[] {
  return table.map((cmd) =>
    vscode.commands.registerCommand(cmd.id, async (...args: unknown[]) => {
      try {
        return await cmd.run(services, ...args);
      } catch (e) {
        const text = e instanceof ChimeraError ? e.describe() : errorMessage(e);
        services.log.error(`${cmd.id} failed: ${text}`);
        void vscode.window.showErrorMessage(`Chimeraforge: ${text.split('\n')[0]}`, 'Show Log').then((pick) => {
          if (pick) services.log.show();
        });
        return undefined;
      }
    }),
  );
}
