// Default prompts of the report-agent workflow. Our own wording, modelled on what the original agent
// asked for (ORIGINS.md §2.2): an analysis of the data inventory, then a technical report from it.
// Templates: {{inventory}}, {{model}}, {{variant}}, {{files}}, {{steps.<name>}}, {{options}}.

export const DEFAULT_ANALYSIS_PROMPT = `You are a performance engineer reviewing benchmark results of local LLM inference.
Here is the inventory of the benchmark files that were collected:

{{inventory}}

Write a short analysis with four parts: 1) a summary of what the data covers, 2) the key performance findings
(throughput, latency, time to first token), 3) how the metrics compare across files or configurations,
4) concrete recommendations for tuning. Use markdown headings for the four parts.`;

export const DEFAULT_REPORT_PROMPT = `Using the analysis below, write a concise technical report in markdown with these sections:
Executive Summary, Data Ingestion Summary, Performance Analysis, Key Findings, Recommendations, Appendix.
Cite specific numbers where the analysis gives them.

Analysis:
{{steps.analysis}}`;

/** Replace {{name}} / {{steps.x}} placeholders; unknown placeholders are left visible, not silently dropped. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (whole, key: string) => (key in values ? values[key] : whole));
}
