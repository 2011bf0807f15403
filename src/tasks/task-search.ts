// A word: letters, digits and combining marks (so "café" or "naïve" typed decomposed stay whole).
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
const MAX_WORDS = 16;

/** The words of a search string, as the search will use them (at most 16). */
function searchWords(input: string): string[] {
  return (input.match(WORD) ?? []).slice(0, MAX_WORDS);
}

/**
 * Turns what a user typed into a `to_tsquery('simple', …)` argument that finds tasks containing
 * every word, each as a prefix: `"Buy mil"` → `Buy:* & mil:*`, so a partial word finds its task.
 * Case is left to the 'simple' dictionary, which folds the query exactly as it folded the stored
 * text (with the database's own rules, also for non-ASCII letters).
 * Only letters, digits and marks survive, so no tsquery operator (`! | & ( ) : * '`) ever reaches
 * PostgreSQL from the input; the result is still sent as a bind parameter, never spliced into SQL.
 * Returns undefined when nothing searchable is left.
 */
export function toPrefixTsQuery(input: string): string | undefined {
  const words = searchWords(input);
  if (words.length === 0) return undefined;
  return words.map((word) => `${word}:*`).join(' & ');
}
