import type { EditionTree } from './plan-tree.ts';

/**
 * A refresh review board (seed 000: a stakeholder workshop decided, for each objective and
 * commitment, to carry it forward, amend it, retire it, or add something new). Pure rules for
 * what the board's decisions do to the new draft.
 */
export const dispositionKinds = ['carry_forward', 'amend', 'retire', 'new'] as const;
export type DispositionKind = (typeof dispositionKinds)[number];
export type ReviewedType = 'objective' | 'commitment';

export type Disposition = {
  elementType: ReviewedType;
  lineageId: string | null;
  parentLineageId: string | null;
  disposition: DispositionKind;
  wording: string;
  rationale: string;
};

export type BoardRow = {
  elementType: ReviewedType;
  lineageId: string;
  number: string;
  text: string;
  disposition: DispositionKind;
  wording: string;
  rationale: string;
};

/** Every objective and commitment of the edition under review, with the board's decision (carry forward unless recorded). */
export function boardRows(source: EditionTree, dispositions: readonly Disposition[]): BoardRow[] {
  const decided = new Map(dispositions.filter((d) => d.lineageId).map((d) => [d.lineageId!, d]));
  const row = (elementType: ReviewedType, lineageId: string, number: string, text: string): BoardRow => {
    const d = decided.get(lineageId);
    return {
      elementType,
      lineageId,
      number,
      text,
      disposition: d?.disposition ?? 'carry_forward',
      wording: d?.wording ?? '',
      rationale: d?.rationale ?? '',
    };
  };
  return source.priorities.flatMap((p, i) =>
    p.objectives.flatMap((o, j) => [
      row('objective', o.lineageId, `${i + 1}.${j + 1}`, o.title),
      ...o.commitments.map((c, k) => row('commitment', c.lineageId, `${i + 1}.${j + 1}.${k + 1}`, c.text)),
    ]),
  );
}

export type Operation =
  | { kind: 'retire'; elementType: ReviewedType; lineageId: string }
  | { kind: 'reword'; elementType: ReviewedType; lineageId: string; wording: string }
  | { kind: 'add'; elementType: ReviewedType; parentLineageId: string; wording: string };

/**
 * The changes applying the board makes to the draft, and anything that cannot be applied
 * (an element no longer in the draft, a new commitment under a retired objective). Pure.
 */
export function outcomeOperations(
  draft: EditionTree,
  dispositions: readonly Disposition[],
): { operations: Operation[]; problems: string[] } {
  const objectives = new Map(draft.priorities.flatMap((p) => p.objectives.map((o) => [o.lineageId, o] as const)));
  const commitments = new Map(
    draft.priorities.flatMap((p) =>
      p.objectives.flatMap((o) => o.commitments.map((c) => [c.lineageId, { commitment: c, objectiveLineageId: o.lineageId }] as const)),
    ),
  );
  const priorities = new Set(draft.priorities.map((p) => p.lineageId));
  const retiredObjectives = new Set(
    dispositions.filter((d) => d.disposition === 'retire' && d.elementType === 'objective' && d.lineageId).map((d) => d.lineageId!),
  );
  const operations: Operation[] = [];
  const problems: string[] = [];

  for (const d of dispositions) {
    if (d.disposition === 'carry_forward') continue;
    if (d.disposition === 'new') {
      const wording = d.wording.trim();
      const parent = d.parentLineageId ?? '';
      const parentExists =
        d.elementType === 'objective' ? priorities.has(parent) : objectives.has(parent) && !retiredObjectives.has(parent);
      if (!wording) problems.push(`A new ${d.elementType} has no wording`);
      else if (!parentExists)
        problems.push(
          `The new ${d.elementType} “${wording}” has nowhere to go: its ${d.elementType === 'objective' ? 'priority' : 'objective'} is not in the draft`,
        );
      else operations.push({ kind: 'add', elementType: d.elementType, parentLineageId: parent, wording });
      continue;
    }
    const lineageId = d.lineageId ?? '';
    const inDraft = d.elementType === 'objective' ? objectives.has(lineageId) : commitments.has(lineageId);
    // A commitment under a retired objective goes with it; no separate decision is needed.
    const isUnderRetired = d.elementType === 'commitment' && retiredObjectives.has(commitments.get(lineageId)?.objectiveLineageId ?? '');
    if (isUnderRetired) continue;
    if (!inDraft) {
      problems.push(
        `${d.elementType === 'objective' ? 'An' : 'A'} ${d.elementType} the board decided to ${d.disposition === 'retire' ? 'retire' : 'amend'} is no longer in the draft`,
      );
      continue;
    }
    if (d.disposition === 'retire') operations.push({ kind: 'retire', elementType: d.elementType, lineageId });
    else if (!d.wording.trim()) problems.push(`An amended ${d.elementType} has no new wording`);
    else operations.push({ kind: 'reword', elementType: d.elementType, lineageId, wording: d.wording.trim() });
  }
  return { operations, problems };
}
