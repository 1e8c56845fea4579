import { formatDate } from '../../../shared/dates.ts';
import { dutyLabels } from './completeness.ts';
import { formatPounds } from './money.ts';
import { evidenceSourceLabels, frequencyLabels, polarityLabels, sectionLabels, statusLabels, timescaleLabels } from './labels.ts';
import type { Commitment, DutyKind, EditionTree, Measure, OwnerRole, StatutorySectionKind } from './plan-tree.ts';
import { dutyKinds, statutorySectionKinds } from './plan-tree.ts';

/**
 * The read-only documents of an edition (plan on a page, full plan) as one view model: every
 * element numbered as the reader sees it (1, 1.1, 1.1.1), money as pounds, measures grouped under
 * the priority they serve. Pure: the routes load the tree and pass in partner names and SPR threats.
 */

export type MeasureView = {
  lineageId: string;
  name: string;
  description: string;
  /** "Priority 2" or "Objective 2.3": what the measure is attached to. */
  attachedTo: string;
  evidence: string;
  unit: string;
  direction: string;
  baseline: string;
  baselinePeriod: string;
  target: string;
  frequency: string;
  owner: string;
};

export type CommitmentView = {
  number: string;
  anchor: string;
  text: string;
  owner: string;
  /** Partner organisations by name, when partners own it. */
  partnerNames: string[];
  role: string;
  timescale: string;
  status: string;
};

export type ObjectiveView = {
  number: string;
  anchor: string;
  title: string;
  description: string;
  intendedOutcome: string;
  commitments: CommitmentView[];
};

export type PriorityView = {
  number: string;
  anchor: string;
  title: string;
  aim: string;
  summary: string;
  objectives: ObjectiveView[];
  /** Measures of the priority itself and of each of its objectives, in the edition's order. */
  measures: MeasureView[];
};

export type SectionView = { kind: StatutorySectionKind; anchor: string; title: string; basis: string; narrative: string };

export type FundingRowView = { financialYear: string; precept: string; governmentGrant: string; other: string; total: string };

export type GrantView = { recipient: string; amount: string; period: string; purpose: string; conditions: string; priorities: string[] };

export type DutyView = { duty: DutyKind; anchor: string; title: string; basis: string; statement: string; metBy: string[] };

export type SprRowView = { id: string; title: string; addressedBy: string[]; explanation: string };

export type PlanDocument = {
  vision: string;
  priorities: PriorityView[];
  /** Measures whose priority or objective is not in the edition; shown so that nothing is lost. */
  unplacedMeasures: MeasureView[];
  sections: SectionView[];
  funding: { years: FundingRowView[]; total: FundingRowView } | null;
  grants: { rows: GrantView[]; total: string } | null;
  duties: DutyView[];
  spr: SprRowView[];
};

export type DocumentInputs = {
  partnerNames: ReadonlyMap<string, string>;
  sprThreats: readonly { id: string; title: string }[];
};

/** PRSRA 2011 s.7(1): the lettered item each section answers. */
export const sectionBasis: Record<StatutorySectionKind, string> = {
  policing_provided: 'PRSRA 2011 s.7(1)(b)',
  resources: 'PRSRA 2011 s.7(1)(c)',
  reporting: 'PRSRA 2011 s.7(1)(d)',
  performance: 'PRSRA 2011 s.7(1)(e)',
  grants_and_victims: 'PRSRA 2011 s.7(1)(f)',
};

/** Short forms for a table cell; labels.ts has the long explanation used on forms. */
export const ownerRoleShortLabels: Record<OwnerRole, string> = {
  control: 'Controls (delivers it)',
  influence: 'Influences (persuades others to deliver it)',
};

const decimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 6 });

/** A measure's baseline or target: "12,500", "72.5", or "Not set". */
export function formatValue(value: number | null): string {
  return value === null ? 'Not set' : decimal.format(value);
}

/** "A", "A and B", "A, B and C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function commitmentOwner(commitment: Commitment, partnerNames: ReadonlyMap<string, string>): { owner: string; partnerNames: string[] } {
  switch (commitment.ownerKind) {
    case 'pcc':
      return { owner: 'The commissioner', partnerNames: [] };
    case 'chief_constable':
      return { owner: 'The chief constable', partnerNames: [] };
    case 'partners': {
      const names = commitment.partnerIds.map((id) => partnerNames.get(id) ?? 'A partner organisation no longer recorded');
      return { owner: names.length ? joinNames(names) : 'Partner organisations not named yet', partnerNames: names };
    }
    case null:
      return { owner: 'Not decided yet', partnerNames: [] };
  }
}

function commitmentTimescale(commitment: Commitment): string {
  if (commitment.timescale === null) return 'Not set';
  if (commitment.timescale === 'by_date')
    return commitment.targetDate ? `By ${formatDate(commitment.targetDate)}` : timescaleLabels.by_date;
  return timescaleLabels[commitment.timescale];
}

function grantPeriod(startsOn: string | null, endsOn: string | null): string {
  if (startsOn && endsOn) return `${formatDate(startsOn)} to ${formatDate(endsOn)}`;
  if (startsOn) return `From ${formatDate(startsOn)}`;
  if (endsOn) return `Until ${formatDate(endsOn)}`;
  return 'Not set';
}

const fundingRow = (financialYear: string, precept: number, governmentGrant: number, other: number): FundingRowView => ({
  financialYear,
  precept: formatPounds(precept),
  governmentGrant: formatPounds(governmentGrant),
  other: formatPounds(other),
  total: formatPounds(precept + governmentGrant + other),
});

/** Builds the numbered, formatted document of an edition. */
export function buildPlanDocument(tree: EditionTree, inputs: DocumentInputs): PlanDocument {
  // Reader-facing names of every element, by lineage: "Priority 1: …", "Objective 1.2: …", "Commitment 1.2.3: …".
  const elementNames = new Map<string, string>();
  const measureParent = new Map<string, { priorityIndex: number; label: string }>();

  const priorities: PriorityView[] = tree.priorities.map((priority, p) => {
    const pn = `${p + 1}`;
    elementNames.set(priority.lineageId, `Priority ${pn}: ${priority.title}`);
    measureParent.set(priority.lineageId, { priorityIndex: p, label: `Priority ${pn}` });
    return {
      number: pn,
      anchor: `priority-${pn}`,
      title: priority.title,
      aim: priority.aim,
      summary: priority.summary,
      measures: [],
      objectives: priority.objectives.map((objective, o) => {
        const on = `${pn}.${o + 1}`;
        elementNames.set(objective.lineageId, `Objective ${on}: ${objective.title}`);
        measureParent.set(objective.lineageId, { priorityIndex: p, label: `Objective ${on}` });
        return {
          number: on,
          anchor: `objective-${on.replaceAll('.', '-')}`,
          title: objective.title,
          description: objective.description,
          intendedOutcome: objective.intendedOutcome,
          commitments: objective.commitments.map((commitment, c) => {
            const cn = `${on}.${c + 1}`;
            elementNames.set(commitment.lineageId, `Commitment ${cn}: ${commitment.text}`);
            return {
              number: cn,
              anchor: `commitment-${cn.replaceAll('.', '-')}`,
              text: commitment.text,
              ...commitmentOwner(commitment, inputs.partnerNames),
              role: commitment.ownerRole ? ownerRoleShortLabels[commitment.ownerRole] : 'Not decided yet',
              timescale: commitmentTimescale(commitment),
              status: statusLabels[commitment.status],
            };
          }),
        };
      }),
    };
  });

  const unplacedMeasures: MeasureView[] = [];
  for (const measure of tree.measures) {
    const parent = measureParent.get(measure.attachedTo.lineageId);
    const view = measureView(measure, parent?.label ?? 'Not attached');
    if (parent) priorities[parent.priorityIndex]!.measures.push(view);
    else unplacedMeasures.push(view);
  }

  const sections: SectionView[] = statutorySectionKinds.map((kind) => ({
    kind,
    anchor: `section-${kind.replaceAll('_', '-')}`,
    title: sectionLabels[kind],
    basis: sectionBasis[kind],
    narrative: tree.statutorySections.find((s) => s.kind === kind)?.narrative ?? '',
  }));

  const sum = (pick: (f: EditionTree['fundingYears'][number]) => number) => tree.fundingYears.reduce((total, f) => total + pick(f), 0);
  const funding = tree.fundingYears.length
    ? {
        years: tree.fundingYears.map((f) => fundingRow(f.financialYear, f.precept, f.governmentGrant, f.other)),
        total: fundingRow(
          'Total',
          sum((f) => f.precept),
          sum((f) => f.governmentGrant),
          sum((f) => f.other),
        ),
      }
    : null;

  const priorityNames = new Map(tree.priorities.map((p, i) => [p.lineageId, `${i + 1}. ${p.title}`]));
  const grants = tree.grants.length
    ? {
        rows: tree.grants.map((g) => ({
          recipient: g.recipient,
          amount: formatPounds(g.amount),
          period: grantPeriod(g.startsOn, g.endsOn),
          purpose: g.purpose,
          conditions: g.conditions,
          priorities: g.priorityLineageIds.flatMap((id) => priorityNames.get(id) ?? []),
        })),
        total: formatPounds(tree.grants.reduce((total, g) => total + g.amount, 0)),
      }
    : null;

  const duties: DutyView[] = dutyKinds.map((duty) => {
    const statement = tree.dutyStatements.find((d) => d.duty === duty);
    return {
      duty,
      anchor: `duty-${duty.replaceAll('_', '-')}`,
      title: dutyLabels[duty].title,
      basis: dutyLabels[duty].basis,
      statement: statement?.statement ?? '',
      metBy: (statement?.elementLineageIds ?? []).flatMap((id) => elementNames.get(id) ?? []),
    };
  });

  const elements = tree.priorities.flatMap((p) => [p, ...p.objectives.flatMap((o) => [o, ...o.commitments])]);
  const spr: SprRowView[] = inputs.sprThreats.map((threat) => ({
    id: threat.id,
    title: threat.title,
    addressedBy: elements.filter((e) => e.frameworkItemIds.includes(threat.id)).map((e) => elementNames.get(e.lineageId)!),
    explanation: tree.sprExplanations.find((e) => e.frameworkItemId === threat.id)?.explanation ?? '',
  }));

  return { vision: tree.vision, priorities, unplacedMeasures, sections, funding, grants, duties, spr };
}

function measureView(measure: Measure, attachedTo: string): MeasureView {
  return {
    lineageId: measure.lineageId,
    name: measure.name,
    description: measure.description,
    attachedTo,
    evidence: evidenceSourceLabels[measure.evidenceSource],
    unit: measure.unit,
    direction: polarityLabels[measure.polarity],
    baseline: formatValue(measure.baselineValue),
    baselinePeriod: measure.baselinePeriod,
    target: formatValue(measure.targetValue),
    frequency: frequencyLabels[measure.frequency],
    owner: measure.owner,
  };
}
