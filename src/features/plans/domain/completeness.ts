import type { DutyKind, EditionTree, StatutorySectionKind } from './plan-tree.ts';
import { dutyKinds } from './plan-tree.ts';

/** Where the user goes to put a requirement right; the routes turn this into a URL. */
export type FixTarget =
  | { kind: 'priorities' }
  | { kind: 'priority'; lineageId: string }
  | { kind: 'objective'; lineageId: string }
  | { kind: 'commitment'; lineageId: string }
  | { kind: 'measures'; priorityLineageId: string }
  | { kind: 'statutory_section'; section: StatutorySectionKind }
  | { kind: 'funding' }
  | { kind: 'duty'; duty: DutyKind }
  | { kind: 'spr'; frameworkItemId: string };

export type Requirement = {
  id: string;
  group: 'contents' | 'priorities' | 'commitments' | 'spr' | 'duties';
  title: string;
  basis: string;
  isMet: boolean;
  /** Plain English: why it is met, or what is missing. */
  reason: string;
  fix: FixTarget;
};

export type SprThreat = { id: string; title: string };

const sectionRules: Record<StatutorySectionKind, { title: string; basis: string }> = {
  policing_provided: { title: 'The policing the chief constable is to provide', basis: 'PRSRA 2011 s.7(1)(b)' },
  resources: { title: 'Financial and other resources provided to the chief constable', basis: 'PRSRA 2011 s.7(1)(c)' },
  reporting: { title: 'How the chief constable will report to the commissioner', basis: 'PRSRA 2011 s.7(1)(d)' },
  performance: { title: 'How the chief constable’s performance will be measured', basis: 'PRSRA 2011 s.7(1)(e)' },
  grants_and_victims: {
    title: 'Crime and disorder reduction grants and services for victims and witnesses',
    basis: 'PRSRA 2011 s.7(1)(f)',
  },
};

export const dutyLabels: Record<DutyKind, { title: string; basis: string }> = {
  strategic_policing_requirement: { title: 'The Strategic Policing Requirement', basis: 'PRSRA 2011 s.5(5); Police Act 1996 s.37A' },
  responsible_authorities: { title: 'The priorities of the responsible authorities (community safety partners)', basis: 'PRSRA 2011 s.10' },
  victims_and_public_views: {
    title: 'The views of the public and of victims of crime',
    basis: 'Police Act 1996 s.96(1A), inserted by PRSRA 2011 s.14',
  },
  safeguarding_children: { title: 'Safeguarding and promoting the welfare of children', basis: 'Children Act 2004 s.11' },
  equality: { title: 'The public sector equality duty', basis: 'Equality Act 2010 s.149' },
};

const hasText = (value: string | null | undefined) => (value ?? '').trim().length > 0;

/**
 * The statutory completeness check for an edition: one requirement per s.7(1) item, per
 * priority, per commitment, per SPR threat and per "have regard to" duty. Pure.
 */
export function checkCompleteness(edition: EditionTree, sprThreats: readonly SprThreat[]): Requirement[] {
  const requirements: Requirement[] = [];
  const objectives = edition.priorities.flatMap((p) => p.objectives);

  // s.7(1)(a): the police and crime objectives, which the plan's priorities and objectives are.
  requirements.push({
    id: 'contents.objectives',
    group: 'contents',
    title: 'The commissioner’s police and crime objectives',
    basis: 'PRSRA 2011 s.7(1)(a)',
    isMet: objectives.length > 0,
    reason:
      objectives.length > 0
        ? `${edition.priorities.length} priorities with ${objectives.length} objectives`
        : 'Add at least one priority with an objective',
    fix: { kind: 'priorities' },
  });

  for (const [kind, rule] of Object.entries(sectionRules) as [StatutorySectionKind, (typeof sectionRules)[StatutorySectionKind]][]) {
    const section = edition.statutorySections.find((s) => s.kind === kind);
    let isMet = hasText(section?.narrative);
    let reason = isMet ? 'Written' : 'This section is empty';
    if (kind === 'resources' && isMet && edition.fundingYears.length === 0) {
      isMet = false;
      reason = 'Add the funding for at least one financial year (precept, government grant)';
    }
    if (kind === 'performance' && isMet && edition.measures.length === 0) {
      isMet = false;
      reason = 'Add at least one measure';
    }
    requirements.push({
      id: `contents.${kind}`,
      group: 'contents',
      title: rule.title,
      basis: rule.basis,
      isMet,
      reason,
      fix: kind === 'resources' && hasText(section?.narrative) ? { kind: 'funding' } : { kind: 'statutory_section', section: kind },
    });
  }

  for (const priority of edition.priorities) {
    const objectiveLineages = new Set(priority.objectives.map((o) => o.lineageId));
    const measureCount = edition.measures.filter(
      (m) =>
        (m.attachedTo.kind === 'priority' && m.attachedTo.lineageId === priority.lineageId) ||
        (m.attachedTo.kind === 'objective' && objectiveLineages.has(m.attachedTo.lineageId)),
    ).length;
    const problems = [
      ...(priority.objectives.length === 0 ? ['it has no objectives'] : []),
      ...(measureCount === 0 ? ['it has no measures'] : []),
    ];
    requirements.push({
      id: `priority.${priority.lineageId}`,
      group: 'priorities',
      title: `Priority: ${priority.title}`,
      basis: 'Every priority needs objectives and a way to measure them',
      isMet: problems.length === 0,
      reason:
        problems.length === 0
          ? `${priority.objectives.length} objectives, ${measureCount} measures`
          : `Fix this: ${problems.join(' and ')}`,
      fix:
        priority.objectives.length === 0
          ? { kind: 'priority', lineageId: priority.lineageId }
          : { kind: 'measures', priorityLineageId: priority.lineageId },
    });
  }

  for (const objective of objectives) {
    for (const commitment of objective.commitments) {
      const problems = [
        ...(commitment.ownerKind === null ? ['who owns it'] : []),
        ...(commitment.ownerKind === 'partners' && commitment.partnerIds.length === 0 ? ['which partners own it'] : []),
        ...(commitment.ownerRole === null ? ['whether the owner controls or only influences it'] : []),
      ];
      if (problems.length === 0) continue;
      requirements.push({
        id: `commitment.${commitment.lineageId}`,
        group: 'commitments',
        title: `Commitment: ${truncate(commitment.text, 80)}`,
        basis: 'Panels ask for clear responsibility: who delivers, and who only influences (domain.md §2.3)',
        isMet: false,
        reason: `Say ${problems.join(', and ')}`,
        fix: { kind: 'commitment', lineageId: commitment.lineageId },
      });
    }
  }
  const commitmentCount = objectives.reduce((n, o) => n + o.commitments.length, 0);
  if (!requirements.some((r) => r.group === 'commitments')) {
    requirements.push({
      id: 'commitments.owned',
      group: 'commitments',
      title: 'Every commitment has an owner and a role',
      basis: 'Panels ask for clear responsibility: who delivers, and who only influences (domain.md §2.3)',
      isMet: true,
      reason: commitmentCount === 0 ? 'There are no commitments yet' : `All ${commitmentCount} commitments have an owner and a role`,
      fix: { kind: 'priorities' },
    });
  }

  const addressed = new Set(
    edition.priorities.flatMap((p) => [
      ...p.frameworkItemIds,
      ...p.objectives.flatMap((o) => [...o.frameworkItemIds, ...o.commitments.flatMap((c) => c.frameworkItemIds)]),
    ]),
  );
  for (const threat of sprThreats) {
    const explanation = edition.sprExplanations.find((e) => e.frameworkItemId === threat.id);
    const isAddressed = addressed.has(threat.id);
    const isExplained = hasText(explanation?.explanation);
    requirements.push({
      id: `spr.${threat.id}`,
      group: 'spr',
      title: `Strategic Policing Requirement: ${threat.title}`,
      basis: 'PRSRA 2011 s.5(5)',
      isMet: isAddressed || isExplained,
      reason: isAddressed
        ? 'Addressed by the plan'
        : isExplained
          ? 'Not addressed directly; explained'
          : 'Link a priority, objective or commitment to this threat, or explain why the plan does not address it',
      fix: { kind: 'spr', frameworkItemId: threat.id },
    });
  }

  for (const duty of dutyKinds) {
    const statement = edition.dutyStatements.find((d) => d.duty === duty);
    requirements.push({
      id: `duty.${duty}`,
      group: 'duties',
      title: `Have regard to: ${dutyLabels[duty].title}`,
      basis: dutyLabels[duty].basis,
      isMet: hasText(statement?.statement),
      reason: hasText(statement?.statement) ? 'Statement written' : 'Write a statement of how the plan has regard to this',
      fix: { kind: 'duty', duty },
    });
  }
  return requirements;
}

export const isComplete = (requirements: readonly Requirement[]) => requirements.every((r) => r.isMet);

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
