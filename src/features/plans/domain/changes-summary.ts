import { dutyLabels } from './completeness.ts';
import { sectionLabels } from './labels.ts';
import type { DutyKind, StatutorySectionKind } from './plan-tree.ts';
import type { ElementChange, ElementType, FieldValue } from './principal-changes.ts';
import type { WordChange } from './word-diff.ts';

/**
 * The principal changes between two editions in words people use, for the changes page and
 * the "summary of principal changes" a panel paper needs (as the 2020 addendum in seed 001 did).
 */
export type SummaryField = { label: string; words: WordChange[] | null; before: string; after: string };
export type SummaryItem = { kind: ElementChange['kind']; verb: string; typeLabel: string; label: string; fields: SummaryField[] };
export type SummaryGroup = { type: ElementType; title: string; items: SummaryItem[] };

const groupTitles: Record<ElementType, string> = {
  vision: 'Vision',
  priority: 'Priorities',
  objective: 'Objectives',
  commitment: 'Commitments',
  measure: 'Measures',
  statutory_section: 'Statutory sections',
  funding_year: 'Resources provided to the chief constable',
  grant: 'Grants register',
  duty_statement: '“Have regard to” statements',
};

const typeLabels: Record<ElementType, string> = {
  vision: 'Vision',
  priority: 'Priority',
  objective: 'Objective',
  commitment: 'Commitment',
  measure: 'Measure',
  statutory_section: 'Section',
  funding_year: 'Funding year',
  grant: 'Grant',
  duty_statement: 'Statement',
};

const fieldLabels: Record<string, string> = {
  text: 'Text',
  title: 'Title',
  aim: 'Aim',
  summary: 'Summary',
  description: 'Description',
  intendedOutcome: 'Intended outcome',
  ownerKind: 'Owner',
  partnerIds: 'Partner owners',
  ownerRole: 'Control or influence',
  timescale: 'Timescale',
  targetDate: 'Target date',
  status: 'Status',
  frameworkItemIds: 'Frameworks addressed',
  name: 'Name',
  evidenceSource: 'Source of evidence',
  unit: 'Unit',
  polarity: 'Direction',
  baselineValue: 'Baseline',
  baselinePeriod: 'Baseline period',
  targetValue: 'Target',
  frequency: 'Reporting frequency',
  owner: 'Owner',
  narrative: 'Text',
  statement: 'Statement',
  elementLineageIds: 'Parts of the plan linked',
  precept: 'Precept (pence)',
  governmentGrant: 'Government grant (pence)',
  other: 'Other (pence)',
  recipient: 'Recipient',
  amount: 'Amount (pence)',
  startsOn: 'Starts',
  endsOn: 'Ends',
  purpose: 'Purpose',
  conditions: 'Conditions',
  priorityLineageIds: 'Priorities served',
  financialYear: 'Financial year',
};

const verbs: Record<ElementChange['kind'], string> = { added: 'Added', removed: 'Removed', changed: 'Changed', moved: 'Moved' };

/** A readable name for an element: sections and duties are named by kind, not by their text. */
function labelOf(type: ElementType, label: string): string {
  if (type === 'statutory_section') return sectionLabels[label as StatutorySectionKind] ?? label;
  if (type === 'duty_statement') return dutyLabels[label as DutyKind]?.title ?? label;
  return label;
}

function show(value: FieldValue): string {
  if (value === null || value === '') return '(none)';
  if (Array.isArray(value)) return value.length ? `${value.length} linked` : '(none)';
  return String(value);
}

export function summariseChanges(changes: readonly ElementChange[]): SummaryGroup[] {
  const groups = new Map<ElementType, SummaryGroup>();
  for (const change of changes) {
    const type = change.element.type;
    const group = groups.get(type) ?? { type, title: groupTitles[type], items: [] };
    groups.set(type, group);
    const fields =
      change.kind === 'changed' || change.kind === 'moved'
        ? change.fields.map((f) => ({
            label: fieldLabels[f.field] ?? f.field,
            words: f.words ?? null,
            before: show(f.before),
            after: show(f.after),
          }))
        : [];
    const verb = change.kind === 'moved' && change.fields.length > 0 ? 'Moved and changed' : verbs[change.kind];
    group.items.push({ kind: change.kind, verb, typeLabel: typeLabels[type], label: labelOf(type, change.element.label), fields });
  }
  const order = Object.keys(groupTitles) as ElementType[];
  return [...groups.values()].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
}

/** Markdown for a panel paper: headings per group, one bullet per change, word changes as ~~old~~ **new**. */
export function changesAsMarkdown(title: string, fromLabel: string, toLabel: string, groups: readonly SummaryGroup[]): string {
  const lines = [`# Summary of principal changes`, '', `${title}: changes from ${fromLabel} to ${toLabel}.`, ''];
  if (groups.length === 0) lines.push('There are no changes.', '');
  for (const group of groups) {
    lines.push(`## ${group.title}`, '');
    for (const item of group.items) {
      lines.push(`- **${item.verb}** ${item.typeLabel.toLowerCase()}: ${escapeMarkdown(item.label)}`);
      for (const field of item.fields) {
        const text = field.words ? wordsAsMarkdown(field.words) : `${escapeMarkdown(field.before)} → ${escapeMarkdown(field.after)}`;
        lines.push(`  - ${field.label}: ${text.replace(/\n+/g, ' ')}`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Removed words struck through, added words in bold, a space between a removal and its replacement. */
function wordsAsMarkdown(words: readonly WordChange[]): string {
  return words
    .map((w, i) => {
      if (w.kind === 'same' || w.text.trim() === '') return escapeMarkdown(w.text);
      const marked = w.kind === 'removed' ? `~~${escapeMarkdown(w.text.trim())}~~` : `**${escapeMarkdown(w.text.trim())}**`;
      return w.kind === 'removed' && words[i + 1]?.kind === 'added' ? `${marked} ` : marked;
    })
    .join('');
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_~[\]#|])/g, '\\$1');
}
