/**
 * Money in whole pence. Amounts are entered in pounds ("12,345,678" or "12345678.50") and
 * parsed from the text, never through floating point, so £0.10 + £0.20 is exactly 30 pence.
 * Pence are JavaScript numbers: exact up to Number.MAX_SAFE_INTEGER (about £90 trillion).
 */
export type Pence = number;

// Optional £, whole pounds either plain or grouped in threes by commas, then at most two decimals.
const poundsPattern = /^£?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/** Pounds as typed into a form, as whole pence; null if it is not an amount of money (or is negative). */
export function parsePounds(text: string): Pence | null {
  const match = poundsPattern.exec(text.trim().replace(/\s+/g, ''));
  if (!match) return null;
  const pounds = match[1]!.replace(/,/g, '');
  const pence = BigInt(pounds) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  return pence <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(pence) : null;
}

const grouped = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** "£1,234,567.89"; whole pounds without pence, as GOV.UK style writes them ("£12,000"). */
export function formatPounds(pence: Pence): string {
  return `£${poundsText(pence)}`;
}

/** The amount as the form shows it for changing: "1,234,567.89", without the £. */
export function poundsText(pence: Pence): string {
  if (!Number.isSafeInteger(pence) || pence < 0) throw new RangeError(`Not a whole, non-negative number of pence: ${pence}`);
  const pounds = grouped(String(Math.trunc(pence / 100)));
  const rest = pence % 100;
  return rest === 0 ? pounds : `${pounds}.${String(rest).padStart(2, '0')}`;
}
