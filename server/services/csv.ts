import Papa from "papaparse";

/** A byte order mark, so that Excel opens the file as UTF-8. */
export const BOM = "\uFEFF";

/**
 * Cells a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return) get
 * a leading apostrophe, as OWASP's CSV injection guidance recommends
 * (https://owasp.org/www-community/attacks/CSV_Injection). Numbers are left alone: -0.12 is data.
 * Text that already starts with apostrophes before such a character gets one more, so that the
 * import, which takes one away, gives back exactly what was typed.
 */
export function neutralise(value: unknown): unknown {
  if (typeof value !== "string") return value;
  return /^'*[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 CSV with CRLF line ends, every text cell neutralised. */
export function toCsv(header: string[], rows: unknown[][], withBom = true): string {
  const body = Papa.unparse(
    { fields: header, data: rows.map((r) => r.map(neutralise)) },
    { newline: "\r\n", quotes: false, escapeFormulae: false },
  );
  return `${withBom ? BOM : ""}${body}\r\n`;
}
