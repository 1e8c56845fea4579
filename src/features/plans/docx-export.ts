import {
  AlignmentType,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { heading, labelled, texts } from '../../platform/docx/blocks.ts';
import { formatDate } from '../../shared/dates.ts';
import { dutyLabels } from './domain/completeness.ts';
import { formatPounds } from './domain/money.ts';
import { evidenceSourceLabels, frequencyLabels, ownerKindLabels, sectionLabels, statusLabels, timescaleLabels } from './domain/labels.ts';
import type { JsonCommitment, JsonMeasure, JsonPriority, FrameworkRef, PlanJson } from './domain/plan-json.ts';

/**
 * The edition as a Word document, built from the same plan-v1 document as the JSON export so
 * the two always say the same thing. Real Word headings (so the navigation pane and a screen
 * reader's heading list work), Word numbering for commitments, and real tables with header rows.
 */
export type DocxLookups = { frameworkTitle(ref: FrameworkRef): string | undefined };

const COMMITMENTS = 'commitments';

export async function editionToDocx(plan: PlanJson, lookups: DocxLookups): Promise<Buffer> {
  let objectiveCount = 0;
  const children: (Paragraph | Table)[] = [
    new Paragraph({ text: plan.plan.title, heading: HeadingLevel.TITLE }),
    new Paragraph({ text: plan.body.name }),
    new Paragraph({ text: `${plan.edition.label} (${plan.edition.isFrozen ? 'issued' : 'draft'})` }),
    new Paragraph({ text: `Plan period: ${formatDate(plan.plan.periodStartsOn)} to ${formatDate(plan.plan.periodEndsOn)}` }),
    heading('Vision', HeadingLevel.HEADING_1),
    ...texts(plan.vision, 'No vision yet.'),
  ];

  plan.priorities.forEach((priority, i) => {
    const pn = `${i + 1}`;
    children.push(heading(`${pn}. ${priority.title}`, HeadingLevel.HEADING_1));
    if (priority.aim) children.push(labelled('Aim', priority.aim));
    children.push(...texts(priority.summary));
    if (priority.frameworkItems.length) children.push(labelled('Addresses', frameworkList(priority.frameworkItems, lookups)));
    priority.objectives.forEach((objective, j) => {
      const on = `${pn}.${j + 1}`;
      const instance = objectiveCount++;
      children.push(heading(`${on} ${objective.title}`, HeadingLevel.HEADING_2));
      children.push(...texts(objective.description));
      if (objective.intendedOutcome) children.push(labelled('Intended outcome', objective.intendedOutcome));
      if (objective.frameworkItems.length) children.push(labelled('Addresses', frameworkList(objective.frameworkItems, lookups)));
      // One numbering instance per objective, so each objective's commitments count from 1.
      children.push(...objective.commitments.map((c) => commitmentParagraph(c, instance, lookups)));
    });
    const measures = measuresOf(plan, priority);
    if (measures.length) {
      children.push(heading(`Measures for priority ${pn}`, HeadingLevel.HEADING_3));
      children.push(measureTable(measures, priority, pn));
    }
  });

  for (const section of plan.statutorySections) {
    children.push(heading(sectionLabels[section.kind], HeadingLevel.HEADING_1));
    children.push(...texts(section.narrative, 'Not written yet.'));
    if (section.kind === 'resources' && plan.fundingYears.length) {
      children.push(heading('Funding by financial year', HeadingLevel.HEADING_2), fundingTable(plan));
    }
    if (section.kind === 'grants_and_victims' && plan.grants.length) {
      children.push(heading('Crime and disorder reduction grants', HeadingLevel.HEADING_2), grantTable(plan));
    }
  }

  if (plan.dutyStatements.length) {
    children.push(heading('How the plan has regard to the commissioner’s duties', HeadingLevel.HEADING_1));
    for (const duty of plan.dutyStatements) {
      children.push(heading(dutyLabels[duty.duty].title, HeadingLevel.HEADING_2));
      children.push(...texts(duty.statement, 'Not written yet.'));
    }
  }

  if (plan.sprExplanations.length) {
    children.push(heading('Strategic Policing Requirement threats met elsewhere', HeadingLevel.HEADING_1));
    for (const explanation of plan.sprExplanations) {
      const title = lookups.frameworkTitle(explanation);
      children.push(heading(title ? `${explanation.code} ${title}` : explanation.code, HeadingLevel.HEADING_2));
      children.push(...texts(explanation.explanation));
    }
  }

  const document = new Document({
    title: plan.plan.title,
    description: `${plan.body.name}: ${plan.plan.title}, ${plan.edition.label}`,
    creator: plan.body.name,
    numbering: {
      config: [
        {
          reference: COMMITMENTS,
          levels: [
            {
              level: 0,
              format: LevelFormat.DECIMAL,
              text: '%1.',
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 720, hanging: 360 } } },
            },
          ],
        },
      ],
    },
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}

const frameworkList = (refs: readonly FrameworkRef[], lookups: DocxLookups) =>
  refs
    .map((ref) => {
      const title = lookups.frameworkTitle(ref);
      return title ? `${ref.code} ${title}` : ref.code;
    })
    .join('; ');

/** "Owner: The chief constable; controls", then status and timescale, under the commitment's text. */
export function ownerLine(c: JsonCommitment): string {
  const owner =
    c.ownerKind === null
      ? 'not decided yet'
      : c.ownerKind === 'partners' && c.partners.length
        ? c.partners.join(', ')
        : ownerKindLabels[c.ownerKind];
  const role = c.ownerRole === 'control' ? 'controls' : c.ownerRole === 'influence' ? 'influences' : 'role not decided yet';
  const when =
    c.timescale === null
      ? ''
      : c.timescale === 'by_date' && c.targetDate
        ? `; by ${formatDate(c.targetDate)}`
        : `; ${timescaleLabels[c.timescale].toLowerCase()}`;
  return `Owner: ${owner}; ${role}. Status: ${statusLabels[c.status]}${when}.`;
}

function commitmentParagraph(c: JsonCommitment, instance: number, lookups: DocxLookups): Paragraph {
  const runs = [new TextRun(c.text), new TextRun({ text: ownerLine(c), break: 1, italics: true })];
  if (c.frameworkItems.length)
    runs.push(new TextRun({ text: `Addresses: ${frameworkList(c.frameworkItems, lookups)}`, break: 1, italics: true }));
  return new Paragraph({ children: runs, numbering: { reference: COMMITMENTS, level: 0, instance } });
}

function measuresOf(plan: PlanJson, priority: JsonPriority): JsonMeasure[] {
  const objectiveLineages = new Set(priority.objectives.map((o) => o.lineageId));
  return plan.measures.filter((m) =>
    m.attachedTo.kind === 'priority' ? m.attachedTo.lineageId === priority.lineageId : objectiveLineages.has(m.attachedTo.lineageId),
  );
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): Table {
  const cell = (text: string, isHeader = false) =>
    new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold: isHeader })] })] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, true)) }),
      ...rows.map((row) => new TableRow({ children: row.map((text) => cell(text)) })),
    ],
  });
}

const number = (value: number | null) => (value === null ? '' : value.toLocaleString('en-GB', { maximumFractionDigits: 10 }));

function measureTable(measures: readonly JsonMeasure[], priority: JsonPriority, pn: string): Table {
  const forWhat = (m: JsonMeasure) => {
    if (m.attachedTo.kind === 'priority') return `Priority ${pn}`;
    const j = priority.objectives.findIndex((o) => o.lineageId === m.attachedTo.lineageId);
    return `Objective ${pn}.${j + 1}`;
  };
  return table(
    ['Measure', 'For', 'Evidence', 'Unit', 'Baseline', 'Target', 'Reported'],
    measures.map((m) => [
      m.name,
      forWhat(m),
      evidenceSourceLabels[m.evidenceSource],
      m.unit,
      m.baselineValue === null ? '' : `${number(m.baselineValue)}${m.baselinePeriod ? ` (${m.baselinePeriod})` : ''}`,
      number(m.targetValue),
      frequencyLabels[m.frequency],
    ]),
  );
}

function fundingTable(plan: PlanJson): Table {
  return table(
    ['Financial year', 'Precept', 'Government grant', 'Other', 'Total'],
    plan.fundingYears.map((f) => [
      f.financialYear,
      formatPounds(f.precept),
      formatPounds(f.governmentGrant),
      formatPounds(f.other),
      formatPounds(f.precept + f.governmentGrant + f.other),
    ]),
  );
}

function grantTable(plan: PlanJson): Table {
  const priorityNumber = new Map(plan.priorities.map((p, i) => [p.lineageId, i + 1]));
  const period = (startsOn: string | null, endsOn: string | null) =>
    [startsOn && `from ${formatDate(startsOn)}`, endsOn && `to ${formatDate(endsOn)}`].filter(Boolean).join(' ');
  return table(
    ['Recipient', 'Amount', 'Period', 'Purpose', 'Priorities'],
    plan.grants.map((g) => [
      g.recipient,
      formatPounds(g.amount),
      period(g.startsOn, g.endsOn),
      g.purpose,
      g.priorityLineageIds
        .map((id) => priorityNumber.get(id))
        .filter((n): n is number => n !== undefined)
        .sort((a, b) => a - b)
        .join(', '),
    ]),
  );
}
