import { fail, ok, type Result } from '../../../shared/result.ts';
import { emptyEdition, type EditionTree } from './plan-tree.ts';

/**
 * Proposes the structure of a plan from a Word document that was not made by this service.
 * The input is the HTML mammoth makes of the document (headings, paragraphs, lists); the
 * output is only a proposal, which the officer confirms or adjusts before anything is saved.
 *
 * Real plans differ, so the rules are simple and said out loud on the preview page:
 * - the title is the paragraph in Word's Title style, else the first top-level heading;
 * - priorities are the headings of one level: the level numbered like priorities ("1." or
 *   "Priority 1:") if any is, else the level with the most headings;
 * - objectives are the next heading level down, or (with no such level) bold paragraphs;
 * - commitments are list items, and paragraphs starting "We will" or "I will";
 * - the vision is the text before the first priority (under a "Vision" or "Foreword" heading
 *   if there is one).
 */

/** Passed to mammoth, so Word's Title style reaches us as a heading we can tell apart. */
export const mammothStyleMap = ["p[style-name='Title'] => h1.title:fresh"];

export type Block =
  | { kind: 'heading'; level: number; text: string; isTitle: boolean }
  | { kind: 'paragraph'; text: string; isAllBold: boolean }
  | { kind: 'item'; text: string };

export type OutlineObjective = { title: string; description: string; commitments: string[] };
export type OutlinePriority = { title: string; summary: string; objectives: OutlineObjective[] };
export type OutlineCounts = { priorities: number; objectives: number; commitments: number };
export type Outline = { title: string; vision: string; priorities: OutlinePriority[]; counts: OutlineCounts; warnings: string[] };

/** Why a document gave nothing to import. */
export type UnusableReason = 'no_text' | 'no_headings' | 'no_priorities';

// ---------------------------------------------------------------------------------------------
// Reading the HTML. Mammoth's output is small and regular (h1–h6, p, ul/ol/li, strong, em, a,
// br, table, img), so a tolerant tokenizer is enough: unknown tags are ignored, unclosed ones
// are closed by the next block, and tables (measures, budgets) are left out.

const TOKEN = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>|([^<]+)|</g;
const BLOCK_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'li']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const attribute = (attributes: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(attributes)?.[1] ?? '';

type Run = { text: string; isBold: boolean };
type OpenBlock = { tag: string; runs: Run[]; isTitle: boolean; isIgnored: boolean };

/** Lines trimmed and with runs of spaces collapsed; blank lines dropped. */
const cleanLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean);

/** The blocks of a document in reading order, from mammoth's HTML. */
export function tokenize(html: string): Block[] {
  const blocks: Block[] = [];
  const stack: OpenBlock[] = [];
  let loose: Run[] = [];
  let boldDepth = 0;
  let tableDepth = 0;
  let skip: { tag: string; depth: number } | undefined;

  const emit = (tag: string, runs: Run[], isTitle: boolean) => {
    const lines = cleanLines(runs.map((r) => r.text).join(''));
    if (!lines.length) return;
    if (/^h[1-6]$/.test(tag)) blocks.push({ kind: 'heading', level: Number(tag[1]), text: lines.join(' '), isTitle });
    else if (tag === 'li') blocks.push({ kind: 'item', text: lines.join('\n') });
    else {
      const visible = runs.filter((r) => r.text.trim());
      blocks.push({ kind: 'paragraph', text: lines.join('\n'), isAllBold: visible.length > 0 && visible.every((r) => r.isBold) });
    }
  };
  const flushLoose = () => {
    emit('p', loose, false);
    loose = [];
  };
  const append = (text: string, isBold = boldDepth > 0) => {
    const top = stack.at(-1);
    if (top) {
      if (!top.isIgnored) top.runs.push({ text, isBold });
    } else loose.push({ text, isBold });
  };

  for (const match of html.matchAll(TOKEN)) {
    const [whole, slash, rawName, attributes = '', text] = match;
    if (whole.startsWith('<!--')) continue;
    const name = rawName?.toLowerCase();
    const isClosing = slash === '/';

    if (skip) {
      if (name === skip.tag) skip.depth += isClosing ? -1 : 1;
      if (skip.depth === 0) skip = undefined;
      continue;
    }
    if (name === 'table') {
      if (!isClosing && tableDepth === 0) {
        flushLoose();
        while (stack.length) {
          const open = stack.pop()!;
          if (!open.isIgnored) emit(open.tag, open.runs, open.isTitle);
        }
      }
      tableDepth = Math.max(0, tableDepth + (isClosing ? -1 : 1));
      continue;
    }
    if (tableDepth > 0) continue;

    if (text !== undefined || name === undefined) {
      append(decodeEntities(text ?? whole));
      continue;
    }
    if (!isClosing && (name === 'script' || name === 'style')) {
      skip = { tag: name, depth: 1 };
      continue;
    }
    // A footnote reference ("[1]") is not part of the sentence it sits in.
    if (!isClosing && name === 'a' && /^(footnote|endnote|comment)-ref/.test(attribute(attributes, 'id'))) {
      skip = { tag: 'a', depth: 1 };
      continue;
    }
    if (name === 'strong' || name === 'b') {
      boldDepth = Math.max(0, boldDepth + (isClosing ? -1 : 1));
      continue;
    }
    if (name === 'br' && !isClosing) {
      append('\n');
      continue;
    }
    if ((name === 'ul' || name === 'ol') && !isClosing) {
      // A list inside a list item: the item's own text so far is one item, its sub-items others.
      const top = stack.at(-1);
      if (top?.tag === 'li') {
        if (!top.isIgnored) emit('li', top.runs, false);
        top.runs = [];
      }
      continue;
    }
    if (!BLOCK_TAGS.has(name)) continue;

    if (!isClosing) {
      // A paragraph inside a list item is more of the item.
      if (name === 'p' && stack.at(-1)?.tag === 'li') {
        append('\n');
        continue;
      }
      flushLoose();
      // Only list items hold other blocks; an unclosed heading or paragraph ends where the next block begins.
      while (stack.length && stack.at(-1)!.tag !== 'li') {
        const open = stack.pop()!;
        if (!open.isIgnored) emit(open.tag, open.runs, open.isTitle);
      }
      const isNote = name === 'li' && /^(footnote|endnote|comment)-/.test(attribute(attributes, 'id'));
      const isIgnored = isNote || stack.some((b) => b.isIgnored);
      stack.push({ tag: name, runs: [], isTitle: /\btitle\b/.test(attribute(attributes, 'class')), isIgnored });
      continue;
    }
    const index = stack.map((b) => b.tag).lastIndexOf(name);
    if (index < 0) continue;
    while (stack.length > index) {
      const open = stack.pop()!;
      if (!open.isIgnored) emit(open.tag, open.runs, open.isTitle);
    }
  }
  flushLoose();
  while (stack.length) {
    const open = stack.pop()!;
    if (!open.isIgnored) emit(open.tag, open.runs, open.isTitle);
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// Numbering on headings.

const NUMBER_WORD = 'one|two|three|four|five|six|seven|eight|nine|ten';
const LABELLED = new RegExp(
  `^(priority|theme|pillar|strand|objective|outcome|aim|goal|commitment)\\s+(\\d{1,2}(?:\\.\\d{1,2})*|[a-j]|${NUMBER_WORD})\\b\\s*[.:)\\-–—]?\\s*`,
  'i',
);
const LABEL_ONLY = /^(priority|theme|objective)\s*[:\-–—]\s*/i;
const MULTI_NUMBER = /^\d{1,2}(?:\.\d{1,2})+\.?\s+/;
const SINGLE_NUMBER = /^\(?(?:\d{1,2}|[a-j]|[ivx]{1,4})[.)]\s+|^\d{1,2}\s+(?=\p{Lu})/iu;
const PRIORITY_LABELS = new Set(['priority', 'theme', 'pillar', 'strand']);

/**
 * A heading without its numbering ("1.", "1.2", "Priority 1:", "Objective: "), and what the
 * numbering says: `priority` for a first-level number or a priority label, `objective` for
 * "1.2" or an objective label.
 */
export function stripNumbering(heading: string): { text: string; marker: 'priority' | 'objective' | 'none' } {
  const attempt = (pattern: RegExp, marker: (m: RegExpExecArray) => 'priority' | 'objective') => {
    const m = pattern.exec(heading);
    const rest = m ? heading.slice(m[0].length).trim() : '';
    return m && rest ? { text: rest, marker: marker(m) } : undefined;
  };
  const labelMarker = (m: RegExpExecArray) => {
    const label = m[1]!.toLowerCase();
    if (PRIORITY_LABELS.has(label)) return (m[2] ?? '').includes('.') ? 'objective' : 'priority';
    return 'objective';
  };
  return (
    attempt(LABELLED, labelMarker) ??
    attempt(LABEL_ONLY, labelMarker) ??
    attempt(MULTI_NUMBER, () => 'objective') ??
    attempt(SINGLE_NUMBER, () => 'priority') ?? { text: heading.trim(), marker: 'none' }
  );
}

// ---------------------------------------------------------------------------------------------
// Structure.

const FRONT_MATTER = /\b(vision|foreword|introduction|preface|welcome)\b/i;
const CONTENTS = /^(table of )?contents$/i;
const COMMITMENT_SENTENCE = /^(we|i)\s+will\b/i;
/** The lines this service's own DOCX export writes under each commitment, so a round trip is clean. */
const EXPORT_ANNOTATION = /^(Owner: .*Status: .*|Addresses: .*)$/;

const isFrontMatter = (text: string) => text.length <= 80 && FRONT_MATTER.test(text);

/** The heading level that holds the priorities, or undefined when there are no headings. */
function priorityLevel(headings: readonly Extract<Block, { kind: 'heading' }>[]): { level: number; isNumbered: boolean } | undefined {
  const tally = (keep: (h: Extract<Block, { kind: 'heading' }>) => boolean) => {
    const counts = new Map<number, number>();
    for (const h of headings) if (keep(h)) counts.set(h.level, (counts.get(h.level) ?? 0) + 1);
    // Most headings wins; on a tie the higher level (smaller number) does.
    return [...counts].sort(([levelA, a], [levelB, b]) => b - a || levelA - levelB)[0]?.[0];
  };
  const numbered = tally((h) => stripNumbering(h.text).marker === 'priority');
  if (numbered !== undefined) return { level: numbered, isNumbered: true };
  const any = tally((h) => !isFrontMatter(h.text) && !CONTENTS.test(h.text));
  return any === undefined ? undefined : { level: any, isNumbered: false };
}

/** Proposes a plan outline from mammoth's HTML of a Word document. */
export function detectStructure(html: string): Result<Outline, UnusableReason> {
  const blocks = tokenize(html);
  if (!blocks.length) return fail('no_text');

  // The title: Word's Title style, else the first heading if it is an unnumbered top-level one.
  let titleIndex = blocks.findIndex((b) => b.kind === 'heading' && b.isTitle);
  if (titleIndex < 0) {
    const first = blocks.findIndex((b) => b.kind === 'heading');
    const heading = blocks[first];
    if (heading?.kind === 'heading' && heading.level === 1 && stripNumbering(heading.text).marker === 'none') titleIndex = first;
  }
  const title = titleIndex >= 0 ? blocks[titleIndex]!.text : '';
  const body = blocks.filter((_, i) => i !== titleIndex);

  const headings = body.filter((b): b is Extract<Block, { kind: 'heading' }> => b.kind === 'heading');
  const chosen = priorityLevel(headings);
  if (!chosen) return fail('no_headings');
  const objectiveLevel = Math.min(...headings.filter((h) => h.level > chosen.level).map((h) => h.level));

  const priorities: OutlinePriority[] = [];
  const warnings: string[] = [];
  const preamble: { text: string; isUnderFrontMatter: boolean }[] = [];
  const leftOut: string[] = [];
  const gathered: string[] = [];
  let isUnderFrontMatter = false;
  let frontMatterLevel = 0;
  let leaving: { title: string; hasContent: boolean } | undefined;
  let priority: (OutlinePriority & { loose: string[]; summaryLines: string[] }) | undefined;
  let objective: (OutlineObjective & { lines: string[] }) | undefined;

  const closeObjective = () => {
    if (objective) objective.description = objective.lines.join('\n');
    objective = undefined;
  };
  const closePriority = () => {
    closeObjective();
    if (!priority) return;
    if (priority.loose.length) {
      priority.objectives.unshift({ title: priority.title, description: '', commitments: priority.loose });
      gathered.push(priority.title);
    }
    priorities.push({
      title: priority.title,
      summary: priority.summaryLines.join('\n'),
      objectives: priority.objectives.map(({ title: t, description, commitments }) => ({ title: t, description, commitments })),
    });
    priority = undefined;
  };
  const closeLeaving = () => {
    if (leaving?.hasContent) leftOut.push(leaving.title);
    leaving = undefined;
  };
  const addCommitment = (text: string) => {
    if (!priority) return;
    if (objective) objective.commitments.push(text);
    else priority.loose.push(text);
  };
  const addDetail = (text: string) => {
    if (objective) objective.lines.push(text);
    else priority?.summaryLines.push(text);
  };
  const startObjective = (text: string) => {
    closeObjective();
    objective = { title: stripNumbering(text).text, description: '', commitments: [], lines: [] };
    priority!.objectives.push(objective);
  };

  for (const block of body) {
    const hasStarted = priorities.length > 0 || priority !== undefined;
    if (block.kind === 'heading') {
      const isPriority =
        block.level === chosen.level &&
        (chosen.isNumbered
          ? stripNumbering(block.text).marker === 'priority'
          : hasStarted || !(isFrontMatter(block.text) || CONTENTS.test(block.text)));
      if (isPriority) {
        closePriority();
        closeLeaving();
        priority = { title: stripNumbering(block.text).text, summary: '', objectives: [], loose: [], summaryLines: [] };
      } else if (!hasStarted) {
        // Sub-headings of a foreword stay in the foreword.
        if (isFrontMatter(block.text)) [isUnderFrontMatter, frontMatterLevel] = [true, block.level];
        else if (!isUnderFrontMatter || block.level <= frontMatterLevel) isUnderFrontMatter = false;
      } else if (block.level <= chosen.level) {
        // A section that is not a priority (finance, governance, a glossary): left out, and said so.
        closePriority();
        closeLeaving();
        leaving = { title: block.text, hasContent: false };
      } else if (leaving) {
        leaving.hasContent = true;
      } else if (block.level === objectiveLevel) {
        startObjective(block.text);
      }
      // Headings deeper than objectives ("Measures for priority 1") shape nothing.
      continue;
    }

    if (!hasStarted) {
      preamble.push({ text: block.text, isUnderFrontMatter });
      continue;
    }
    if (leaving) {
      leaving.hasContent = true;
      continue;
    }
    if (block.kind === 'item') {
      const text = cleanLines(block.text)
        .filter((line, i) => i === 0 || !EXPORT_ANNOTATION.test(line))
        .join('\n');
      addCommitment(text);
    } else if (COMMITMENT_SENTENCE.test(block.text) && !block.text.trimEnd().endsWith(':')) {
      addCommitment(block.text);
    } else if (!Number.isFinite(objectiveLevel) && block.isAllBold && block.text.length <= 500 && !block.text.includes('\n')) {
      startObjective(block.text);
    } else {
      addDetail(block.text);
    }
  }
  closePriority();
  closeLeaving();

  if (!priorities.length) return fail('no_priorities');

  const hasFrontMatter = preamble.some((p) => p.isUnderFrontMatter);
  const vision = preamble
    .filter((p) => !hasFrontMatter || p.isUnderFrontMatter)
    .map((p) => p.text)
    .join('\n');

  if (gathered.length)
    warnings.push(
      `${list(gathered)} had commitments with no objective above them. They were put under an objective with the priority’s name: rename it, or change the levels, below.`,
    );
  if (leftOut.length)
    warnings.push(
      `These sections did not look like priorities and were left out: ${list(leftOut)}. Add them after importing if the plan needs them.`,
    );
  const empty = priorities.filter((p) => !p.objectives.length).map((p) => p.title);
  if (empty.length) warnings.push(`No objectives were found under ${list(empty)}.`);

  return ok({ title, vision, priorities, counts: countOutline(priorities), warnings });
}

const list = (titles: readonly string[]) => titles.map((t) => `“${t}”`).join(', ');

export function countOutline(priorities: readonly OutlinePriority[]): OutlineCounts {
  const objectives = priorities.flatMap((p) => p.objectives);
  return { priorities: priorities.length, objectives: objectives.length, commitments: objectives.flatMap((o) => o.commitments).length };
}

// ---------------------------------------------------------------------------------------------
// The outline as the preview form's flat list of items, and back.

export const outlineLevels = ['priority', 'objective', 'commitment'] as const;
export type OutlineLevel = (typeof outlineLevels)[number];

/** One row of the preview: its level can be changed, its text edited, and it can be left out. */
export type OutlineItem = { level: OutlineLevel; text: string; detail: string; isIncluded: boolean };

export function outlineItems(priorities: readonly OutlinePriority[]): OutlineItem[] {
  return priorities.flatMap((p) => [
    { level: 'priority' as const, text: p.title, detail: p.summary, isIncluded: true },
    ...p.objectives.flatMap((o) => [
      { level: 'objective' as const, text: o.title, detail: o.description, isIncluded: true },
      ...o.commitments.map((text) => ({ level: 'commitment' as const, text, detail: '', isIncluded: true })),
    ]),
  ]);
}

export type ItemProblem = { index: number; field: 'level' | 'text' | 'detail'; message: string };

/** The longest text each level takes, as the editor's forms allow. */
export const itemLimits: Record<OutlineLevel, { text: number; detail: number }> = {
  priority: { text: 300, detail: 10000 },
  objective: { text: 500, detail: 10000 },
  commitment: { text: 2000, detail: 0 },
};

const levelNames: Record<OutlineLevel, string> = { priority: 'priority', objective: 'objective', commitment: 'commitment' };

/**
 * The included items as priorities, objectives and commitments, or every problem: an empty
 * text, a text too long, or an item with nothing to hang from (an objective before any
 * priority, a commitment with no objective above it).
 */
export function outlineFromItems(items: readonly OutlineItem[]): Result<OutlinePriority[], ItemProblem[]> {
  const problems: ItemProblem[] = [];
  const priorities: OutlinePriority[] = [];
  items.forEach((item, index) => {
    if (!item.isIncluded) return;
    const n = index + 1;
    const limits = itemLimits[item.level];
    const text = item.text.trim();
    if (!text) problems.push({ index, field: 'text', message: `Enter the text of item ${n}, or leave it out` });
    else if (text.length > limits.text)
      problems.push({
        index,
        field: 'text',
        message: `Item ${n} must be ${limits.text} characters or fewer for a ${levelNames[item.level]}`,
      });
    const detail = item.detail.trim();
    if (limits.detail && detail.length > limits.detail)
      problems.push({ index, field: 'detail', message: `The text under item ${n} must be ${limits.detail} characters or fewer` });

    const priority = priorities.at(-1);
    const objective = priority?.objectives.at(-1);
    if (item.level === 'priority') priorities.push({ title: text, summary: detail, objectives: [] });
    else if (item.level === 'objective') {
      if (priority) priority.objectives.push({ title: text, description: detail, commitments: [] });
      else
        problems.push({
          index,
          field: 'level',
          message: `Item ${n} is an objective with no priority above it: make it a priority, or leave it out`,
        });
    } else if (objective) objective.commitments.push(text);
    else
      problems.push({
        index,
        field: 'level',
        message: `Item ${n} is a commitment with no objective above it: make it or an item above it an objective, or leave it out`,
      });
  });
  if (!problems.length && !priorities.length) problems.push({ index: 0, field: 'level', message: 'Include at least one priority' });
  return problems.length ? fail(problems) : ok(priorities);
}

/**
 * The confirmed outline as an edition tree with fresh lineage ids. Commitments have no owner,
 * role or timescale yet: the completeness check asks for them, which is what should happen next.
 */
export function outlineToTree(vision: string, priorities: readonly OutlinePriority[], newId: () => string): EditionTree {
  return {
    ...emptyEdition(),
    vision,
    priorities: priorities.map((p) => ({
      id: newId(),
      lineageId: newId(),
      title: p.title,
      aim: '',
      summary: p.summary,
      frameworkItemIds: [],
      objectives: p.objectives.map((o) => ({
        id: newId(),
        lineageId: newId(),
        title: o.title,
        description: o.description,
        intendedOutcome: '',
        frameworkItemIds: [],
        commitments: o.commitments.map((text) => ({
          id: newId(),
          lineageId: newId(),
          text,
          ownerKind: null,
          partnerIds: [],
          ownerRole: null,
          timescale: null,
          targetDate: null,
          status: 'not_started' as const,
          frameworkItemIds: [],
        })),
      })),
    })),
  };
}
