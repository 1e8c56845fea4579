/**
 * Financial years as budgets and precepts are set: "2025/26" runs from 1 April 2025 to
 * 31 March 2026, so the second part is always the year after the first.
 */
export function isFinancialYear(text: string): boolean {
  const match = /^(\d{4})\/(\d{2})$/.exec(text);
  if (!match) return false;
  return (Number(match[1]) + 1) % 100 === Number(match[2]);
}
