// What activate() returns to other extensions and to the integration tests (extension.exports).
import type { Logger } from '../core/ports';
import type { ChimeraforgeConfig } from './config';
import type { DashboardApi } from './dashboard/api';

export interface ChimeraforgeApi {
  readonly version: string;
  /** Name of the log output channel in the Output panel. */
  readonly logChannelName: string;
  /** The channel as the core's Logger port. */
  readonly log: Logger;
  /** The settings as currently read (defaults for bad values). */
  config(): ChimeraforgeConfig;
  /** The dashboard panel: show a view, feed runner events, see what it drew. */
  readonly dashboard: DashboardApi;
}
