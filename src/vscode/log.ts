// The extension logs only to one LogOutputChannel; the core sees it through the Logger port.
import * as vscode from 'vscode';
import type { Logger } from '../core/ports';
import { Disposable } from './disposable';

export const LOG_CHANNEL_NAME = 'Chimeraforge';

/** The "Chimeraforge" log output channel, usable as the core's Logger. */
export class ChannelLog extends Disposable implements Logger {
  readonly channel: vscode.LogOutputChannel;

  constructor(channel: vscode.LogOutputChannel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true })) {
    super();
    this.channel = this._register(channel);
  }

  get name(): string {
    return this.channel.name;
  }

  trace(msg: string): void { this.channel.trace(msg); }
  debug(msg: string): void { this.channel.debug(msg); }
  info(msg: string): void { this.channel.info(msg); }
  warn(msg: string): void { this.channel.warn(msg); }
  error(msg: string): void { this.channel.error(msg); }

  /** Reveals the channel in the Output panel without stealing focus from the editor. */
  show(): void {
    this.channel.show(true);
  }
}
