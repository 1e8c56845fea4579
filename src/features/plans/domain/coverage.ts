import type { EditionTree } from './plan-tree.ts';

export type CoverageFramework = { id: string; name: string; items: { id: string; code: string; title: string }[] };
export type CoverageRow = { itemId: string; title: string; addressedBy: { number: string; title: string }[] };

/**
 * Which framework items the edition's priorities, objectives and commitments address, and
 * which nothing addresses (the gaps a panel will ask about). Pure.
 */
export function coverageMatrix(edition: EditionTree, frameworks: readonly CoverageFramework[]) {
  const linked = new Map<string, { number: string; title: string }[]>();
  const add = (itemIds: readonly string[], number: string, title: string) => {
    for (const id of itemIds) linked.set(id, [...(linked.get(id) ?? []), { number, title }]);
  };
  edition.priorities.forEach((p, i) => {
    add(p.frameworkItemIds, `${i + 1}`, p.title);
    p.objectives.forEach((o, j) => {
      add(o.frameworkItemIds, `${i + 1}.${j + 1}`, o.title);
      o.commitments.forEach((c, k) => add(c.frameworkItemIds, `${i + 1}.${j + 1}.${k + 1}`, c.text));
    });
  });
  return frameworks.map((framework) => {
    const rows: CoverageRow[] = framework.items.map((item) => ({
      itemId: item.id,
      title: item.title,
      addressedBy: linked.get(item.id) ?? [],
    }));
    return { id: framework.id, name: framework.name, rows, gapCount: rows.filter((r) => r.addressedBy.length === 0).length };
  });
}
