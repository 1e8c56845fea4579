import { randomUUID } from 'node:crypto';
import type { Commitment, EditionTree, Measure, Objective, Priority } from '../features/plans/domain/plan-tree.ts';
import { dutyKinds, statutorySectionKinds } from '../features/plans/domain/plan-tree.ts';

/**
 * A fictional Police and Crime Plan for Northmoor, shaped like the real plans in shared/seeds
 * (five priorities in 004, the s.7 contents in 003). Every name and number is invented.
 */
export function demoPlanTree(
  partnerIds: { partnership: string; health: string },
  /** `earlier`: the 2021–24 plan as issued (complete, with the figures of its own years); `current`: the 2024–29 draft. */
  era: 'current' | 'earlier' = 'current',
): EditionTree {
  const isEarlier = era === 'earlier';
  const measures: Measure[] = [];
  const commitment = (text: string, owner: Partial<Commitment> = {}): Commitment => ({
    id: '',
    lineageId: randomUUID(),
    text,
    ownerKind: 'pcc',
    partnerIds: [],
    ownerRole: 'control',
    timescale: 'medium',
    targetDate: null,
    status: 'in_progress',
    frameworkItemIds: [],
    ...owner,
  });
  const objective = (title: string, intendedOutcome: string, commitments: Commitment[]): Objective => ({
    id: '',
    lineageId: randomUUID(),
    title,
    description: '',
    intendedOutcome,
    frameworkItemIds: [],
    commitments,
  });
  const priority = (
    title: string,
    aim: string,
    objectives: Objective[],
    measureSpecs: [string, Measure['evidenceSource'], string, Measure['polarity'], number, number | null][],
  ): Priority => {
    const p: Priority = { id: '', lineageId: randomUUID(), title, aim, summary: '', frameworkItemIds: [], objectives };
    for (const [name, evidenceSource, unit, polarity, baselineValue, targetValue] of measureSpecs) {
      measures.push({
        id: '',
        lineageId: randomUUID(),
        attachedTo: { kind: 'priority', lineageId: p.lineageId },
        name,
        description: '',
        evidenceSource,
        unit,
        polarity,
        baselineValue,
        baselinePeriod: isEarlier ? '2020/21' : '2023/24',
        targetValue,
        frequency: 'quarterly',
        owner: 'Chief Constable',
      });
    }
    return p;
  };
  const chief = { ownerKind: 'chief_constable' as const };
  const partners = (ids: string[], role: 'control' | 'influence' = 'influence') => ({
    ownerKind: 'partners' as const,
    partnerIds: ids,
    ownerRole: role,
  });

  const priorities = [
    priority(
      'Connecting communities and policing',
      'People in every part of Northmoor know and trust their local police.',
      [
        objective('Keep neighbourhood teams visible and local', 'More people see and speak to local officers', [
          commitment('Keep a named neighbourhood officer for every ward', chief),
          commitment('Hold a public meeting in each district every quarter'),
        ]),
        objective('Answer 101 calls promptly', 'Fewer callers give up waiting', [
          commitment('Publish 101 waiting times every month', { ...chief, timescale: 'short' }),
        ]),
      ],
      [
        ['Public who say the police do a good or excellent job', 'public_survey', '%', 'higher_is_better', 58, 65],
        ['101 calls waiting over 10 minutes', 'service_standard', '% of calls', 'lower_is_better', 14, 5],
      ],
    ),
    priority(
      'Preventing and deterring crime',
      'Less crime, and less harm from the crime that happens.',
      [
        objective('Reduce serious violence', 'Fewer people hurt by knife and weapon crime', [
          commitment('Fund a violence reduction partnership with the councils', partners([partnerIds.partnership])),
          commitment('Target county lines with neighbouring forces', chief),
        ]),
        objective('Cut reoffending', 'Fewer people return to crime after prison or community sentences', [
          commitment('Commission a mentoring service for young adults leaving custody'),
        ]),
      ],
      [['Violence with injury', 'performance_metric', 'crimes per 1,000 people', 'lower_is_better', 6.2, null]],
    ),
    priority(
      'Protecting people at risk of harm',
      'Vulnerable people are safeguarded and get help early.',
      [
        objective('Improve the response to mental health crises', 'People in crisis get care, not a cell', [
          commitment('Run a street triage service with mental health nurses', partners([partnerIds.health], 'control')),
        ]),
        objective('Reduce repeat domestic abuse', 'Fewer repeat victims within 12 months', [
          commitment('Fund independent domestic violence advisers in every district'),
        ]),
      ],
      [['Repeat victims of domestic abuse within 12 months', 'performance_metric', '%', 'lower_is_better', 31, 27]],
    ),
    priority(
      'Supporting victims and witnesses',
      'Every victim is treated with dignity and gets the support they need.',
      [
        objective('Meet the Victims’ Code in every case', 'Victims are kept informed and supported', [
          commitment('Audit Victims’ Code compliance every quarter', chief),
        ]),
      ],
      [['Victims satisfied with the whole experience', 'victim_survey', '%', 'higher_is_better', 72, 80]],
    ),
    priority(
      'Getting the best out of the police',
      'A well-run force that spends public money well.',
      [
        objective('Invest in people, kit and buildings', 'Officers have what they need to do the job', [
          commitment('Replace the force’s oldest response vehicles by 2026', { ...chief, timescale: 'by_date', targetDate: '2026-03-31' }),
        ]),
      ],
      [['HMICFRS PEEL grade for efficiency', 'hmicfrs_inspection', 'grade', 'higher_is_better', 3, 4]],
    ),
  ];

  const narratives: Record<(typeof statutorySectionKinds)[number], string> = {
    policing_provided:
      'The Chief Constable will provide neighbourhood, response and investigation policing across Northmoor, with specialist teams for public protection, roads and major crime.',
    resources:
      'The budget for policing Northmoor is set each February with the precept. The table below shows what the Chief Constable receives each year.',
    reporting:
      'The Chief Constable reports to the Commissioner at a public accountability board every quarter, and on any matter the Commissioner asks.',
    performance:
      'Performance is measured by the indicators under each priority, graded quarterly and reported to the Police and Crime Panel.',
    grants_and_victims:
      'The Commissioner funds community safety partnerships and commissions services for victims and witnesses. Grants and their conditions are listed in the register.',
  };
  return {
    vision: isEarlier
      ? 'Safer streets and stronger communities across Northmoor, with a police service that listens and puts victims first.'
      : 'A Northmoor where people are safe and feel safe, and where everyone can trust the police to be there when they are needed.',
    priorities,
    measures,
    statutorySections: statutorySectionKinds.map((kind) => ({ lineageId: randomUUID(), kind, narrative: narratives[kind] })),
    fundingYears: isEarlier
      ? [
          {
            lineageId: randomUUID(),
            financialYear: '2021/22',
            precept: 8_610_000_000,
            governmentGrant: 13_050_000_000,
            other: 540_000_000,
          },
          {
            lineageId: randomUUID(),
            financialYear: '2022/23',
            precept: 9_020_000_000,
            governmentGrant: 13_470_000_000,
            other: 560_000_000,
          },
        ]
      : [
          {
            lineageId: randomUUID(),
            financialYear: '2024/25',
            precept: 9_850_000_000,
            governmentGrant: 14_320_000_000,
            other: 610_000_000,
          },
          {
            lineageId: randomUUID(),
            financialYear: '2025/26',
            precept: 10_240_000_000,
            governmentGrant: 14_780_000_000,
            other: 640_000_000,
          },
        ],
    grants: [
      {
        lineageId: randomUUID(),
        recipient: 'Northmoor Community Safety Partnership',
        amount: isEarlier ? 36_000_000 : 42_000_000,
        startsOn: isEarlier ? '2021-10-01' : '2024-04-01',
        endsOn: isEarlier ? '2022-09-30' : '2025-03-31',
        purpose: 'Serious violence prevention in the three districts with the most knife crime.',
        conditions: isEarlier
          ? 'Quarterly monitoring returns; evaluation by December 2022.'
          : 'Quarterly monitoring returns; evaluation by March 2025.',
        priorityLineageIds: [priorities[1]!.lineageId],
      },
    ],
    dutyStatements: dutyKinds.map((duty) => ({
      lineageId: randomUUID(),
      duty,
      // The current draft leaves the equality statement empty on purpose, so the completeness check has something to find.
      statement:
        duty === 'equality'
          ? isEarlier
            ? 'An equality impact assessment of the plan was published with it; the priorities on victims and vulnerable people answer what it found.'
            : ''
          : 'The plan was shaped with this duty in mind; see the priorities linked.',
      elementLineageIds: [],
    })),
    sprExplanations: [],
  };
}
