/**
 * Trims every tag and drops case-insensitive duplicates, keeping the first spelling and the
 * order. Values that are not strings are kept as they are, for validation to reject.
 */
export function normalizeTags(tags: unknown[]): unknown[] {
  const seen = new Set<string>();
  const result: unknown[] = [];
  for (const tag of tags) {
    if (typeof tag !== 'string') {
      result.push(tag);
      continue;
    }
    const trimmed = tag.trim();
    const key = trimmed.toLowerCase();
    if (trimmed !== '' && seen.has(key)) continue;
    seen.add(key);
    result.push(trimmed);
  }
  return result;
}
