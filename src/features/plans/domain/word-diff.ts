export type WordChange = { kind: 'same' | 'added' | 'removed'; text: string };

/** Words and runs of whitespace as separate tokens, so joining the pieces gives back the text exactly. */
function tokens(text: string): string[] {
  return text.match(/\S+|\s+/g) ?? [];
}

/**
 * Word-level differences between two texts (longest common subsequence over words), for
 * highlighting what changed in a sentence. Joining 'same'+'removed' gives `before`;
 * joining 'same'+'added' gives `after`.
 */
export function diffWords(before: string, after: string): WordChange[] {
  const a = tokens(before);
  const b = tokens(after);
  // Trim the common prefix and suffix first: most edits touch a few words.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  const rows = middleA.length + 1;
  const columns = middleB.length + 1;
  const lengths = new Uint32Array(rows * columns);
  for (let i = middleA.length - 1; i >= 0; i -= 1) {
    for (let j = middleB.length - 1; j >= 0; j -= 1) {
      lengths[i * columns + j] =
        middleA[i] === middleB[j]
          ? lengths[(i + 1) * columns + j + 1]! + 1
          : Math.max(lengths[(i + 1) * columns + j]!, lengths[i * columns + j + 1]!);
    }
  }
  const changes: WordChange[] = [];
  const push = (kind: WordChange['kind'], text: string) => {
    const last = changes[changes.length - 1];
    if (last && last.kind === kind) last.text += text;
    else changes.push({ kind, text });
  };
  for (const token of a.slice(0, start)) push('same', token);
  let i = 0;
  let j = 0;
  while (i < middleA.length && j < middleB.length) {
    if (middleA[i] === middleB[j]) {
      push('same', middleA[i]!);
      i += 1;
      j += 1;
    } else if (lengths[(i + 1) * columns + j]! >= lengths[i * columns + j + 1]!) {
      push('removed', middleA[i]!);
      i += 1;
    } else {
      push('added', middleB[j]!);
      j += 1;
    }
  }
  for (; i < middleA.length; i += 1) push('removed', middleA[i]!);
  for (; j < middleB.length; j += 1) push('added', middleB[j]!);
  for (const token of a.slice(endA)) push('same', token);
  return changes;
}
