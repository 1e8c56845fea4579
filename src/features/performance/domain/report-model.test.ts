import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Grade, UngradedReason } from './performance-model.ts';
import {
  buildNationalStatement,
  buildQuarterlyReport,
  changeFrom,
  countGrades,
  formatPercentChange,
  lastCompleteQuarter,
  reportableQuarters,
  type ReportMeasureInput,
  type ReportValueInput,
} from './report-model.ts';

const value = (periodStart: string, v: number, revision = 1): ReportValueInput => ({
  periodKind: 'month',
  periodStart,
  value: v,
  confidenceLower: null,
  confidenceUpper: null,
  revision,
});

const status = (
  name: string,
  priority: string,
  grade: Grade,
  fields: Partial<ReportMeasureInput> & { reason?: UngradedReason | null } = {},
): ReportMeasureInput => {
  const series = fields.series ?? [value('2024-04-01', 10), value('2024-05-01', 12)];
  return {
    measure: {
      lineageId: `m-${name}`,
      name,
      unit: 'crimes',
      owner: 'Chief Constable',
      polarity: 'lower_is_better',
      baselineValue: null,
      baselinePeriod: '',
      targetValue: null,
      ...fields.measure,
    },
    priority: { lineageId: priority },
    settings: { nationalMeasureCode: null, ...fields.settings },
    periodKind: 'month',
    series,
    latest: fields.latest === undefined ? (series.at(-1) ?? null) : fields.latest,
    latestRevised: fields.latestRevised ?? false,
    grade: { grade, reason: fields.reason ?? (grade === 'ungraded' ? 'no_data' : null), explanation: `${name} is ${grade}` },
    commentary: fields.commentary ?? null,
  };
};

const q1 = { kind: 'quarter' as const, start: '2024-04-01' };
const priorities = [
  { lineageId: 'p1', title: 'Cut crime' },
  { lineageId: 'p2', title: 'Put victims first' },
];

describe('the quarterly report', () => {
  it('lists red measures first, then ungraded ones, each in plan order, and never green or amber ones', () => {
    const report = buildQuarterlyReport({
      quarter: q1,
      planTitle: 'Safer Streets Plan',
      bodyName: 'PCC',
      priorities,
      statuses: [
        status('A', 'p1', 'ungraded', { reason: 'too_few_points' }),
        status('B', 'p1', 'green'),
        status('C', 'p1', 'red'),
        status('D', 'p2', 'amber'),
        status('E', 'p2', 'red'),
        status('F', 'p2', 'ungraded', { reason: 'no_target' }),
      ],
      summaries: new Map([['p2', 'Victims are seen sooner.']]),
    });
    expect(report.exceptions.map((e) => [e.name, e.grade, e.reason, e.priorityNumber])).toEqual([
      ['C', 'red', null, 1],
      ['E', 'red', null, 2],
      ['A', 'ungraded', 'too_few_points', 1],
      ['F', 'ungraded', 'no_target', 2],
    ]);
    expect(report.counts).toEqual({ green: 1, amber: 1, red: 2, ungraded: 2 });
    expect(report.priorities.map((p) => [p.number, p.title, p.summary, p.measures.map((m) => m.name)])).toEqual([
      [1, 'Cut crime', null, ['A', 'B', 'C']],
      [2, 'Put victims first', 'Victims are seen sooner.', ['D', 'E', 'F']],
    ]);
    expect(report.quarter).toEqual({
      key: 'fy2024-25-q1',
      start: '2024-04-01',
      end: '2024-06-30',
      label: 'Quarter 1 2024/25 (April to June 2024)',
    });
  });

  it('never shows a figure or commentary for a period that began after the quarter ended', () => {
    const series = [value('2024-05-01', 10), value('2024-06-01', 11), value('2024-07-01', 99)];
    const report = buildQuarterlyReport({
      quarter: q1,
      planTitle: 'P',
      bodyName: 'B',
      priorities,
      statuses: [
        status('A', 'p1', 'green', {
          series,
          commentary: { periodKind: 'month', periodStart: '2024-07-01', whatIsHappening: 'Later', whatIsBeingDone: '' },
        }),
      ],
      summaries: new Map(),
    });
    const [measure] = report.priorities[0]!.measures;
    expect(measure!.series.map((p) => p.value)).toEqual([10, 11]);
    expect(measure!.latest).toMatchObject({ value: 11, key: '2024-06', periodLabel: 'June 2024' });
    expect(measure!.commentary).toBeNull();
  });

  it('marks revised figures and keeps the commentary of the quarter', () => {
    const report = buildQuarterlyReport({
      quarter: q1,
      planTitle: 'P',
      bodyName: 'B',
      priorities,
      statuses: [
        status('A', 'p1', 'amber', {
          series: [value('2024-04-01', 10), value('2024-05-01', 12, 2)],
          latestRevised: true,
          commentary: { periodKind: 'month', periodStart: '2024-05-01', whatIsHappening: 'Up in May', whatIsBeingDone: 'Patrols' },
        }),
      ],
      summaries: new Map([['p1', '   ']]),
    });
    const [measure] = report.priorities[0]!.measures;
    expect(measure!.series.map((p) => p.isRevised)).toEqual([false, true]);
    expect(measure!.latest!.isRevised).toBe(true);
    expect(measure!.latestText).toBe('12 crimes (May 2024), revised since first reported');
    expect(measure!.commentary).toEqual({ periodLabel: 'May 2024', whatIsHappening: 'Up in May', whatIsBeingDone: 'Patrols' });
    // A summary of only spaces is no summary.
    expect(report.priorities[0]!.summary).toBeNull();
  });

  it('counts every measure once, whatever the grades', () => {
    const grades = fc.constantFrom<Grade>('green', 'amber', 'red', 'ungraded');
    fc.assert(
      fc.property(fc.array(grades, { maxLength: 40 }), (list) => {
        const counts = countGrades(list);
        expect(counts.green + counts.amber + counts.red + counts.ungraded).toBe(list.length);
        expect(counts.red).toBe(list.filter((g) => g === 'red').length);
      }),
    );
  });

  it('puts every red measure before every ungraded one, and leaves out the rest', () => {
    const grades = fc.constantFrom<Grade>('green', 'amber', 'red', 'ungraded');
    fc.assert(
      fc.property(fc.array(fc.tuple(grades, fc.constantFrom('p1', 'p2')), { maxLength: 20 }), (list) => {
        const report = buildQuarterlyReport({
          quarter: q1,
          planTitle: 'P',
          bodyName: 'B',
          priorities,
          statuses: list.map(([grade, priority], i) => status(`M${i}`, priority, grade)),
          summaries: new Map(),
        });
        const order = report.exceptions.map((e) => e.grade);
        expect(order).toEqual([...order].sort((a, b) => (a === b ? 0 : a === 'red' ? -1 : 1)));
        expect(order.length).toBe(list.filter(([g]) => g === 'red' || g === 'ungraded').length);
      }),
    );
  });
});

describe('the national measures statement', () => {
  const nationalMeasures = [
    { code: 'homicide', title: 'Reduce murder and other homicide' },
    { code: 'serious-violence', title: 'Reduce serious violence' },
    { code: 'cyber-crime', title: 'Tackle cyber crime' },
  ];

  it('gives the change from the baseline with the periods, as Lancashire reported homicides (−42.9%)', () => {
    const homicides = status('Homicides', 'p1', 'green', {
      measure: {
        lineageId: 'h',
        name: 'Homicides',
        unit: '',
        owner: '',
        polarity: 'lower_is_better',
        baselineValue: 28,
        baselinePeriod: '2019',
        targetValue: null,
      },
      settings: { nationalMeasureCode: 'homicide' },
      periodKind: 'financial_year',
      series: [{ ...value('2023-04-01', 16), periodKind: 'financial_year' }],
    });
    const statement = buildNationalStatement({
      quarter: { kind: 'quarter', start: '2024-01-01' },
      planTitle: 'P',
      bodyName: 'B',
      nationalMeasures,
      statuses: [homicides, status('Other', 'p1', 'green')],
    });
    expect(statement.items.map((i) => [i.code, i.measures.length])).toEqual([
      ['homicide', 1],
      ['serious-violence', 0],
      ['cyber-crime', 0],
    ]);
    const [figure] = statement.items[0]!.measures;
    expect(figure!.baseline).toEqual({ value: 28, period: '2019' });
    expect(figure!.latest).toEqual({ value: 16, periodLabel: '2023/24', isRevised: false });
    expect(figure!.change!.absolute).toBe(-12);
    expect(figure!.change!.percent!).toBeCloseTo(-42.857, 3);
    expect(figure!.change!.isImprovement).toBe(true);
    expect(figure!.sentence).toBe('Homicides fell from 28 (2019) to 16 (2023/24), a change of \u221242.9%.');
  });

  it('says when there is no baseline or no figure yet', () => {
    const statement = buildNationalStatement({
      quarter: q1,
      planTitle: 'P',
      bodyName: 'B',
      nationalMeasures,
      statuses: [
        status('Serious violence', 'p1', 'ungraded', { settings: { nationalMeasureCode: 'serious-violence' }, series: [], latest: null }),
        status('Cyber', 'p1', 'green', { settings: { nationalMeasureCode: 'cyber-crime' } }),
      ],
    });
    expect(statement.items[1]!.measures[0]!.sentence).toBe('Serious violence: no figures reported yet.');
    expect(statement.items[2]!.measures[0]!.sentence).toBe('Cyber: 12 crimes (May 2024); the plan sets no baseline to compare with.');
  });

  it('judges a change by the measure’s polarity and never divides by a zero baseline', () => {
    expect(changeFrom(70, 75, 'higher_is_better')).toEqual({ absolute: 5, percent: (5 / 70) * 100, isImprovement: true });
    expect(changeFrom(70, 75, 'lower_is_better').isImprovement).toBe(false);
    expect(changeFrom(0, 3, 'lower_is_better')).toEqual({ absolute: 3, percent: null, isImprovement: false });
    expect(changeFrom(5, 5, 'lower_is_better').isImprovement).toBeNull();
  });

  it('writes percentage changes with a sign, to one decimal place', () => {
    expect(formatPercentChange(-42.857)).toBe('\u221242.9%');
    expect(formatPercentChange(5)).toBe('+5.0%');
    expect(formatPercentChange(0.01)).toBe('0.0%');
  });
});

describe('choosing the quarter', () => {
  it('defaults to the last quarter that has ended', () => {
    expect(lastCompleteQuarter('2024-07-15')).toEqual({ kind: 'quarter', start: '2024-04-01' });
    expect(lastCompleteQuarter('2024-04-01')).toEqual({ kind: 'quarter', start: '2024-01-01' });
  });

  it('offers the quarters of the plan period up to the one in progress, newest first', () => {
    const plan = { periodStartsOn: '2024-05-13', periodEndsOn: '2028-03-31' };
    expect(reportableQuarters('2024-11-15', plan).map((q) => q.start)).toEqual(['2024-10-01', '2024-07-01', '2024-04-01']);
    // After the plan ends, its last quarter is the newest on offer.
    expect(reportableQuarters('2030-01-01', plan)[0]!.start).toBe('2028-01-01');
    expect(reportableQuarters('2030-01-01', plan)).toHaveLength(16);
    // Before it starts, the quarter in progress only.
    expect(reportableQuarters('2023-06-01', plan)).toEqual([{ kind: 'quarter', start: '2023-04-01' }]);
  });
});
