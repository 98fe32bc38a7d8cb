// Shapes of the prompt-cache / thinking / structured-output view (callSettings.ts), types only: the
// dashboard webview imports them without pulling Node code into its bundle.

/** One variant's row (numbers from summary statistics of the counted runs; null = none recorded). */
export interface CallSettingRow {
  variant: string;
  promptCache: string;
  think: string;
  format: string;
  /** Mean of per-run mean prompt_cached_tokens; null when the server never sent prompt_eval_cached_count. */
  cachedTokensMean: number | null;
  thinkingCalls: number | null;
  ttftMsMean: number | null;
  ttftAnswerMsMean: number | null;
  jsonChecked: number | null;
  jsonValid: number | null;
}

export interface CallSettingsData {
  rows: CallSettingRow[];
  /** Definitions of every name the rows show, as recorded (meta.json) or today's. */
  definitions: { name: string; text: string }[];
}
