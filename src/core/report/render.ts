// The technical report as one markdown string, a pure function of ReportInput: title and metadata,
// Executive Summary, numbered sections, appendices, in the original reports' order (PRODUCT.md §6).
import { renderDifferencesBody } from '../import/differences';
import { renderCommand, renderComparisons, renderMultiAgent } from './comparisons';
import { renderExecutiveSummary, renderHeader } from './header';
import { renderMethodology } from './methodology';
import type { ReportInput, Section } from './model';
import { renderResults } from './results';
import { renderCapacity } from './capacity';
import { renderConfigurationAppendix, renderModelOutput, renderReproducibility, renderValidity } from './validity';

/** Heading anchor as GitHub and VS Code's preview make it: lower case, punctuation dropped, spaces → '-'. */
export function slug(heading: string): string {
  const text = heading.replace(/\\(.)/g, '$1').replace(/&[a-z]+;|&#\d+;/g, '');
  return text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-');
}

export function reportSections(input: ReportInput): Section[] {
  const sections: (Section | null)[] = [
    { title: 'Executive Summary', body: renderExecutiveSummary(input), numbered: false },
    { title: 'Methodology', body: renderMethodology(input), numbered: true },
    { title: 'Results', body: renderResults(input), numbered: true },
    { title: 'Comparisons', body: renderComparisons(input), numbered: true },
  ];
  const capacity = renderCapacity(input);
  if (capacity) sections.push({ title: 'Capacity', body: capacity, numbered: true });
  const ma = renderMultiAgent(input);
  if (ma) sections.push({ title: 'Multi-agent execution', body: ma, numbered: true });
  // Imported TRs: what the original program stored or published, beside our recomputation.
  const differences = renderDifferencesBody(input.meta);
  if (differences) sections.push({ title: 'Differences from the original', body: differences, numbered: true });
  const cmd = renderCommand(input);
  if (cmd) sections.push({ title: 'External implementations', body: cmd, numbered: true });
  sections.push(
    { title: 'Validity', body: renderValidity(input), numbered: true },
    { title: 'Reproducibility', body: renderReproducibility(input), numbered: true },
    { title: 'Appendix A: Configuration', body: renderConfigurationAppendix(input), numbered: false },
  );
  const out = renderModelOutput(input);
  if (out) sections.push({ title: 'Appendix B: Model output excerpt', body: out, numbered: false });
  return sections.filter((s): s is Section => s !== null);
}

export function renderReport(input: ReportInput): string {
  const sections = reportSections(input);
  let n = 0;
  const titled = sections.map((s) => ({ ...s, heading: s.numbered ? `${++n}. ${s.title}` : s.title }));
  const toc = titled.filter((s) => s.title !== 'Executive Summary').map((s) => `- [${s.heading}](#${slug(s.heading)})`).join('\n');
  const parts = [renderHeader(input)];
  for (const s of titled) {
    parts.push(`## ${s.heading}\n\n${s.body.trimEnd()}\n`);
    if (s.title === 'Executive Summary') parts.push(`## Table of Contents\n\n${toc}\n`);
  }
  return `${parts.join('\n').trimEnd()}\n`;
}
