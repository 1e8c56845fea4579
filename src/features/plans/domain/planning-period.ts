/**
 * The default planning period: from the day the plan is issued to 31 March of the financial
 * year in which the next ordinary election falls (PRSRA 2011 s.5(1)–(2), s.7; domain.md §1.3:
 * e.g. Avon & Somerset 1 Oct 2016 – 31 Mar 2021 for an election due in May 2020).
 */
export type PlanningPeriod = { startsOn: string; endsOn: string };

/** 31 March ending the financial year (1 April – 31 March) that contains `date`. */
export function endOfFinancialYear(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return `${month >= 4 ? year + 1 : year}-03-31`;
}

/** The financial year label containing `date`, e.g. "2025/26". */
export function financialYearOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const start = month >= 4 ? year : year - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
}

/**
 * A term of office ends a few days after the next ordinary election, so the election falls in
 * the financial year containing the term's end (elections are in May, after 1 April).
 */
export function defaultPlanningPeriod(issuedOn: string, termEndsOn: string): PlanningPeriod {
  const endsOn = endOfFinancialYear(termEndsOn);
  return { startsOn: issuedOn, endsOn: endsOn > issuedOn ? endsOn : endOfFinancialYear(issuedOn) };
}
