// A word: letters, digits and combining marks (so "café" or "naïve" typed decomposed stay whole).
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
const MAX_WORDS = 16;

/** The words of a search string, as the search will use them (at most 16). */
export function searchWords(input: string): string[] {
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

/** ANALYZE's most common lexemes of `tasks.search`, with the share of tasks holding each (pg_stats). */
export interface SearchWordStats {
  words: string[];
  frequencies: number[];
}

/** From this estimated share of the tasks on, a search's words count as common. */
export const COMMON_SEARCH_SHARE = 0.1;

/**
 * Whether what the user typed is common: the estimated share of tasks holding every word (each as
 * a prefix, so the shares of the common lexemes it starts are added up) is COMMON_SEARCH_SHARE or
 * more, taking the words as independent, as PostgreSQL's planner does. A word that starts no
 * common lexeme is rare; without statistics (a table never analysed), every search is.
 */
export function isCommonSearch(input: string, stats: SearchWordStats | undefined): boolean {
  const words = searchWords(input);
  if (stats === undefined || words.length === 0) return false;
  let share = 1;
  for (const word of words) {
    const prefix = word.toLowerCase();
    let wordShare = 0;
    stats.words.forEach((lexeme, index) => {
      if (lexeme.startsWith(prefix)) wordShare += stats.frequencies[index] ?? 0;
    });
    share *= Math.min(wordShare, 1);
  }
  return share >= COMMON_SEARCH_SHARE;
}
