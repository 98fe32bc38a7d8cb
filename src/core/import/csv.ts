// A small RFC 4180 reader for the original's CSVs (quoted fields, "" escapes, CRLF); rows become objects
// keyed by the header. Kept here because the import is the only place the product reads CSV.

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Rows as header → value objects; a row with a different field count is returned in `bad` (line numbers 1-based). */
export function csvRecords(text: string): { header: string[]; records: Record<string, string>[]; bad: number[] } {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = (rows[0] ?? []).map((h) => h.trim());
  const records: Record<string, string>[] = [];
  const bad: number[] = [];
  rows.slice(1).forEach((r, i) => {
    if (r.length !== header.length) {
      bad.push(i + 2);
      return;
    }
    records.push(Object.fromEntries(header.map((h, k) => [h, r[k]])));
  });
  return { header, records, bad };
}

/** A CSV cell as a finite number, or undefined when empty or not a number. */
export function cellNumber(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
