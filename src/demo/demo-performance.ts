import type { DatabaseHandle } from '../platform/db/database.ts';
import type { CurrentUser } from '../shared/current-user.ts';
import { findBodyBySlug } from '../features/organisations/organisations.repository.ts';
import { findEdition, findPlan, loadEditionTree } from '../features/plans/plans.repository.ts';
import type { PerformanceContext } from '../features/performance/performance-context.ts';
import { correctValue, recordValue, saveCommentary, saveGrading, savePrioritySummary } from '../features/performance/measures.service.ts';
import { generateReport } from '../features/performance/reports.service.ts';
import { periodContaining, shiftPeriod, type Period } from '../features/performance/domain/periods.ts';

/**
 * Delivery monitoring of Northmoor's plan in force, for `npm run demo`: six quarters of figures
 * for its measures (one corrected, survey results with confidence intervals), the owners'
 * commentary and the officer's summaries for the last complete quarter, and the quarterly report
 * made for the panel. Every figure goes through the service function its form uses.
 */

type Series = { values: number[]; interval?: number; sourceNote: string; happening: string; doing: string };

/** By measure name (demo-plan.ts, the earlier plan): oldest quarter first. */
const seriesByMeasure: Record<string, Series> = {
  'Public who say the police do a good or excellent job': {
    values: [59, 60, 61, 61, 62, 63],
    interval: 2.4,
    sourceNote: 'Northmoor residents’ survey (telephone sample of 750)',
    happening: 'Confidence rose for the fourth quarter running, but remains short of the 65% target.',
    doing: 'Neighbourhood teams now publish a monthly “you said, we did” for each district.',
  },
  '101 calls waiting over 10 minutes': {
    values: [12, 11, 10, 9, 8, 7.5],
    sourceNote: 'Force contact centre telephony system',
    happening: 'Waits are falling as new call handlers finish training, but are still half as much again as the target.',
    doing: 'Online reporting is promoted on every call-waiting message; twelve more call handlers start in the spring.',
  },
  'Violence with injury': {
    values: [6.0, 5.9, 6.1, 5.8, 5.7, 5.6],
    sourceNote: 'Force crime recording system',
    happening: 'Violence with injury is below its 2020/21 baseline, with the night-time economy the main hotspot.',
    doing: 'Safer Streets funding pays for street marshals in Northmoor town centre on Friday and Saturday nights.',
  },
  'Repeat victims of domestic abuse within 12 months': {
    values: [30, 29.5, 29, 28, 27.5, 26.8],
    sourceNote: 'Force crime recording system',
    happening: 'Repeat victimisation has met the 27% target for the first time.',
    doing: 'Every repeat victim is now offered an independent domestic violence adviser within 48 hours.',
  },
  'Victims satisfied with the whole experience': {
    values: [73, 74, 74, 75, 76, 77],
    interval: 3,
    sourceNote: 'Victim satisfaction survey (Northmoor Victim Care)',
    happening: 'Satisfaction is improving but the survey cannot yet show it has reached 80%.',
    doing: 'Officers now give every victim a named contact and a date for the next update.',
  },
};

export async function seedPerformance(
  database: DatabaseHandle,
  args: { officer: CurrentUser; slug: string; planId: string; today: string; clock: () => Date },
) {
  const db = database.db;
  const body = (await findBodyBySlug(db, args.slug))!;
  const plan = (await findPlan(db, body.id, args.planId))!;
  const edition = (await findEdition(db, plan.id, 1))!;
  const tree = await loadEditionTree(db, edition.id, edition.vision);
  const context: PerformanceContext = { body, plan, edition, tree };
  const change = () => ({ db, actor: args.officer, context, now: args.clock() });

  const lastComplete = shiftPeriod(periodContaining('quarter', args.today), -1);
  const quarters: Period[] = [-5, -4, -3, -2, -1, 0].map((steps) => shiftPeriod(lastComplete, steps));
  for (const measure of tree.measures) {
    const series = seriesByMeasure[measure.name];
    if (!series) continue; // The PEEL grade has no figure yet: it shows as ungraded, with its reason.
    for (const [index, quarter] of quarters.entries()) {
      const value = series.values[index]!;
      const interval = series.interval;
      await recordValue(change(), measure, quarter, {
        value,
        numerator: null,
        denominator: null,
        confidenceLower: interval ? value - interval : null,
        confidenceUpper: interval ? value + interval : null,
        mostSimilarGroupAverage: null,
        sourceNote: series.sourceNote,
        note: '',
      });
    }
    await saveCommentary(change(), measure, lastComplete, { whatIsHappening: series.happening, whatIsBeingDone: series.doing }, 0);
  }

  // A correction keeps the figure it corrects: late survey returns revised the quarter before last.
  const satisfaction = tree.measures.find((m) => m.name === 'Victims satisfied with the whole experience');
  if (satisfaction) {
    await correctValue(
      change(),
      satisfaction,
      quarters[4]!,
      {
        value: 75.5,
        numerator: null,
        denominator: null,
        confidenceLower: 72.5,
        confidenceUpper: 78.5,
        mostSimilarGroupAverage: null,
        sourceNote: 'Victim satisfaction survey (Northmoor Victim Care)',
        note: 'Late survey returns added.',
      },
      1,
    );
    // It reports one of the six National Crime and Policing Measures.
    await saveGrading(
      change(),
      satisfaction,
      { gradingRule: 'target', amberMarginPercent: 5, nationalMeasureCode: 'victim-satisfaction' },
      0,
    );
  }

  for (const priority of tree.priorities) {
    await savePrioritySummary(
      change(),
      priority,
      lastComplete,
      `Delivery against “${priority.title}” is on course this quarter; the exceptions are reported to the panel with what is being done.`,
      0,
    );
  }
  await generateReport(change(), 'quarterly', lastComplete);
}
