/**
 * CSV for the crime data explorer's downloads: RFC 4180 (comma separated, CRLF line ends, fields
 * quoted when they hold a comma, quote or line break, quotes doubled), with cells that a
 * spreadsheet would read as a formula defused by a leading apostrophe (OWASP "CSV injection").
 * LSOA names and crime types come from a third party's files, so they are not trusted.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
