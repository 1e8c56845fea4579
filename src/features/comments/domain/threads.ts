/**
 * Comments on a shared draft, pure: which elements can carry them, and how single comments
 * make threads. Comments are keyed by the element's lineage, so the same thread belongs to
 * "the same" element in every draft and edition of the plan.
 */
export const commentStatuses = ['open', 'addressed', 'noted'] as const;
export type CommentStatus = (typeof commentStatuses)[number];

export const commentStatusLabels: Record<CommentStatus, string> = { open: 'Open', addressed: 'Addressed', noted: 'Noted' };

export type CommentedType = 'vision' | 'priority' | 'objective' | 'commitment' | 'measure';

export type CommentableElement = { lineageId: string; elementType: CommentedType; label: string; text: string; level: number };

/** The part of an edition's tree comments are made on. */
export type CommentableTree = {
  vision: string;
  priorities: readonly {
    lineageId: string;
    title: string;
    aim: string;
    objectives: readonly {
      lineageId: string;
      title: string;
      description: string;
      commitments: readonly { lineageId: string; text: string }[];
    }[];
  }[];
  measures: readonly { lineageId: string; name: string; description: string; attachedTo: { lineageId: string } }[];
};

/**
 * Every element of the edition that may be commented on, in document order and numbered as the
 * plan numbers them. The vision has no lineage of its own: there is one per plan, so the
 * plan's id stands for it.
 */
export function commentableElements(tree: CommentableTree, visionLineageId: string): CommentableElement[] {
  const elements: CommentableElement[] = [
    { lineageId: visionLineageId, elementType: 'vision', label: 'Vision', text: tree.vision, level: 0 },
  ];
  const measuresOf = (lineageId: string, level: number) =>
    tree.measures
      .filter((m) => m.attachedTo.lineageId === lineageId)
      .map((m): CommentableElement => ({
        lineageId: m.lineageId,
        elementType: 'measure',
        label: `Measure: ${m.name}`,
        text: m.description,
        level,
      }));
  tree.priorities.forEach((p, i) => {
    elements.push({ lineageId: p.lineageId, elementType: 'priority', label: `Priority ${i + 1}: ${p.title}`, text: p.aim, level: 0 });
    elements.push(...measuresOf(p.lineageId, 1));
    p.objectives.forEach((o, j) => {
      elements.push({
        lineageId: o.lineageId,
        elementType: 'objective',
        label: `Objective ${i + 1}.${j + 1}: ${o.title}`,
        text: o.description,
        level: 1,
      });
      elements.push(...measuresOf(o.lineageId, 2));
      o.commitments.forEach((c, k) => {
        elements.push({
          lineageId: c.lineageId,
          elementType: 'commitment',
          label: `Commitment ${i + 1}.${j + 1}.${k + 1}`,
          text: c.text,
          level: 2,
        });
      });
    });
  });
  return elements;
}

type Commentlike = { id: string; parentId: string | null; lineageId: string; status: CommentStatus | null; createdAt: Date };

export type Thread<C extends Commentlike> = { opening: C; replies: C[] };

/** Opening comments with their replies, oldest first; replies whose opening is missing are dropped. */
export function buildThreads<C extends Commentlike>(comments: readonly C[]): Thread<C>[] {
  const byTime = [...comments].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const threads = new Map<string, Thread<C>>();
  for (const c of byTime) if (c.parentId === null) threads.set(c.id, { opening: c, replies: [] });
  for (const c of byTime) if (c.parentId !== null) threads.get(c.parentId)?.replies.push(c);
  return [...threads.values()];
}

export type StatusCounts = Record<CommentStatus, number> & { total: number };

export function countByStatus(threads: readonly Thread<Commentlike>[]): StatusCounts {
  const counts: StatusCounts = { open: 0, addressed: 0, noted: 0, total: threads.length };
  for (const t of threads) if (t.opening.status) counts[t.opening.status] += 1;
  return counts;
}
