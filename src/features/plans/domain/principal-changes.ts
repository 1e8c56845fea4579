import type { EditionTree } from './plan-tree.ts';
import { diffWords, type WordChange } from './word-diff.ts';

/**
 * "Principal changes" between two editions, computed by lineage: which elements were added,
 * removed, moved or changed, with word-level changes for text. Pure.
 */
export const elementTypes = [
  'priority',
  'objective',
  'commitment',
  'measure',
  'statutory_section',
  'funding_year',
  'grant',
  'duty_statement',
  'vision',
] as const;
export type ElementType = (typeof elementTypes)[number];

export type FieldValue = string | number | boolean | null | readonly string[];

/** One element of an edition, flattened: its place (parent and order) and its content. */
export type FlatElement = {
  type: ElementType;
  lineageId: string;
  parentLineageId: string | null;
  label: string;
  fields: Record<string, FieldValue>;
};

export type FieldChange = { field: string; before: FieldValue; after: FieldValue; words?: WordChange[] };

export type ElementChange =
  | { kind: 'added'; element: FlatElement; position: number }
  | { kind: 'removed'; element: FlatElement }
  | { kind: 'changed' | 'moved'; element: FlatElement; before: FlatElement; fields: FieldChange[]; position: number; isReordered: boolean };

const sorted = (values: readonly string[]) => [...values].sort();

/** Every element of the edition in document order, children after their parent. */
export function flattenEdition(edition: EditionTree): FlatElement[] {
  const elements: FlatElement[] = [
    { type: 'vision', lineageId: 'vision', parentLineageId: null, label: 'Vision', fields: { text: edition.vision } },
  ];
  for (const p of edition.priorities) {
    elements.push({
      type: 'priority',
      lineageId: p.lineageId,
      parentLineageId: null,
      label: p.title,
      fields: { title: p.title, aim: p.aim, summary: p.summary, frameworkItemIds: sorted(p.frameworkItemIds) },
    });
    for (const o of p.objectives) {
      elements.push({
        type: 'objective',
        lineageId: o.lineageId,
        parentLineageId: p.lineageId,
        label: o.title,
        fields: {
          title: o.title,
          description: o.description,
          intendedOutcome: o.intendedOutcome,
          frameworkItemIds: sorted(o.frameworkItemIds),
        },
      });
      for (const c of o.commitments) {
        elements.push({
          type: 'commitment',
          lineageId: c.lineageId,
          parentLineageId: o.lineageId,
          label: c.text,
          fields: {
            text: c.text,
            ownerKind: c.ownerKind,
            partnerIds: sorted(c.partnerIds),
            ownerRole: c.ownerRole,
            timescale: c.timescale,
            targetDate: c.targetDate,
            status: c.status,
            frameworkItemIds: sorted(c.frameworkItemIds),
          },
        });
      }
    }
  }
  for (const m of edition.measures) {
    elements.push({
      type: 'measure',
      lineageId: m.lineageId,
      parentLineageId: m.attachedTo.lineageId,
      label: m.name,
      fields: {
        name: m.name,
        description: m.description,
        evidenceSource: m.evidenceSource,
        unit: m.unit,
        polarity: m.polarity,
        baselineValue: m.baselineValue,
        baselinePeriod: m.baselinePeriod,
        targetValue: m.targetValue,
        frequency: m.frequency,
        owner: m.owner,
      },
    });
  }
  for (const s of edition.statutorySections) {
    elements.push({
      type: 'statutory_section',
      lineageId: s.lineageId,
      parentLineageId: null,
      label: s.kind,
      fields: { kind: s.kind, narrative: s.narrative },
    });
  }
  for (const f of edition.fundingYears) {
    elements.push({
      type: 'funding_year',
      lineageId: f.lineageId,
      parentLineageId: null,
      label: f.financialYear,
      fields: { financialYear: f.financialYear, precept: f.precept, governmentGrant: f.governmentGrant, other: f.other },
    });
  }
  for (const g of edition.grants) {
    elements.push({
      type: 'grant',
      lineageId: g.lineageId,
      parentLineageId: null,
      label: g.recipient,
      fields: {
        recipient: g.recipient,
        amount: g.amount,
        startsOn: g.startsOn,
        endsOn: g.endsOn,
        purpose: g.purpose,
        conditions: g.conditions,
        priorityLineageIds: sorted(g.priorityLineageIds),
      },
    });
  }
  for (const d of edition.dutyStatements) {
    elements.push({
      type: 'duty_statement',
      lineageId: d.lineageId,
      parentLineageId: null,
      label: d.duty,
      fields: { duty: d.duty, statement: d.statement, elementLineageIds: sorted(d.elementLineageIds) },
    });
  }
  return elements;
}

const keyOf = (e: Pick<FlatElement, 'type' | 'lineageId'>) => `${e.type}:${e.lineageId}`;
const groupOf = (e: Pick<FlatElement, 'type' | 'parentLineageId'>) => `${e.type}|${e.parentLineageId ?? ''}`;
const sameValue = (a: FieldValue, b: FieldValue) => JSON.stringify(a) === JSON.stringify(b);

/** Indexes (into `items`) of a longest increasing subsequence: the elements that kept their order. */
function longestIncreasing(items: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Array<number>(items.length).fill(-1);
  for (let i = 0; i < items.length; i += 1) {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (items[tails[middle]!]! < items[i]!) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[i] = tails[low - 1]!;
    tails[low] = i;
  }
  const kept = new Set<number>();
  for (let i = tails[tails.length - 1] ?? -1; i >= 0; i = previous[i]!) kept.add(i);
  return kept;
}

/** The principal changes from edition `a` to edition `b`, in `b`'s document order (removals last). */
export function diffFlat(a: readonly FlatElement[], b: readonly FlatElement[]): ElementChange[] {
  const inA = new Map(a.map((e) => [keyOf(e), e]));
  const inB = new Map(b.map((e) => [keyOf(e), e]));
  const positionInB = positions(b);

  // Among siblings present in both (same parent), those outside the longest run that kept its order were moved.
  const reordered = new Set<string>();
  const siblingsInB = new Map<string, FlatElement[]>();
  for (const e of b) {
    const before = inA.get(keyOf(e));
    if (!before || groupOf(before) !== groupOf(e)) continue;
    const list = siblingsInB.get(groupOf(e)) ?? [];
    list.push(e);
    siblingsInB.set(groupOf(e), list);
  }
  const positionInA = positions(a);
  for (const list of siblingsInB.values()) {
    const kept = longestIncreasing(list.map((e) => positionInA.get(keyOf(e))!));
    list.forEach((e, index) => {
      if (!kept.has(index)) reordered.add(keyOf(e));
    });
  }

  const changes: ElementChange[] = [];
  for (const element of b) {
    const before = inA.get(keyOf(element));
    const position = positionInB.get(keyOf(element))!;
    if (!before) {
      changes.push({ kind: 'added', element, position });
      continue;
    }
    const fields: FieldChange[] = [];
    for (const field of new Set([...Object.keys(before.fields), ...Object.keys(element.fields)])) {
      const was = before.fields[field] ?? null;
      const now = element.fields[field] ?? null;
      if (sameValue(was, now)) continue;
      fields.push(
        typeof was === 'string' && typeof now === 'string'
          ? { field, before: was, after: now, words: diffWords(was, now) }
          : { field, before: was, after: now },
      );
    }
    const isMoved = before.parentLineageId !== element.parentLineageId || reordered.has(keyOf(element));
    if (isMoved || fields.length > 0) {
      changes.push({ kind: isMoved ? 'moved' : 'changed', element, before, fields, position, isReordered: isMoved });
    }
  }
  for (const element of a) if (!inB.has(keyOf(element))) changes.push({ kind: 'removed', element });
  return changes;
}

export function diffEditions(a: EditionTree, b: EditionTree): ElementChange[] {
  return diffFlat(flattenEdition(a), flattenEdition(b));
}

/** Each element's index among its siblings (same type and parent). */
function positions(elements: readonly FlatElement[]): Map<string, number> {
  const counters = new Map<string, number>();
  const result = new Map<string, number>();
  for (const e of elements) {
    const n = counters.get(groupOf(e)) ?? 0;
    result.set(keyOf(e), n);
    counters.set(groupOf(e), n + 1);
  }
  return result;
}

/**
 * Applies reported changes to `a`'s elements; gives `b`'s elements with the same content and
 * order among siblings. The check that the diff loses nothing.
 */
export function applyChanges(a: readonly FlatElement[], changes: readonly ElementChange[]): FlatElement[] {
  const removed = new Set(changes.filter((c) => c.kind === 'removed').map((c) => keyOf(c.element)));
  const placed = new Map(changes.filter((c) => c.kind !== 'removed').map((c) => [keyOf(c.element), c]));
  const groups = new Map<string, FlatElement[]>();
  const add = (e: FlatElement) => {
    const list = groups.get(groupOf(e)) ?? [];
    list.push(e);
    groups.set(groupOf(e), list);
  };
  // Elements that kept their place, in a's order, with any new content.
  for (const e of a) {
    if (removed.has(keyOf(e))) continue;
    const change = placed.get(keyOf(e));
    if (change && (change.kind === 'moved' || change.kind === 'added')) continue;
    add(change ? change.element : e);
  }
  // Added and moved elements go in at their position in b, in increasing order.
  const inserts = changes
    .filter((c): c is Extract<ElementChange, { position: number }> => c.kind === 'added' || c.kind === 'moved')
    .sort((x, y) => x.position - y.position);
  for (const change of inserts) {
    const list = groups.get(groupOf(change.element)) ?? [];
    list.splice(change.position, 0, change.element);
    groups.set(groupOf(change.element), list);
  }
  return [...groups.values()].flat();
}
