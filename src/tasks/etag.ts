/** The strong ETag of a task at a version (RFC 9110 §8.8.3): it changes with every change. */
export function etagFor(version: number): string {
  return `"${version}"`;
}

/** `*`, or the versions named by an If-Match / If-None-Match list (entity tags that are not ours are dropped). */
export type EtagCondition = '*' | number[];

const ENTITY_TAG = /^(W\/)?"([^"]*)"$/;

/**
 * Parses an If-Match or If-None-Match header. If-Match uses the strong comparison (a weak tag
 * never matches); If-None-Match the weak one (RFC 9110 §13.1.1, §13.1.2). Returns undefined when
 * the header is absent.
 */
export function parseEtagCondition(header: string | string[] | undefined, comparison: 'strong' | 'weak'): EtagCondition | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return '*';
  const versions: number[] = [];
  for (const part of value.split(',')) {
    const match = ENTITY_TAG.exec(part.trim());
    if (!match || (match[1] && comparison === 'strong')) continue;
    if (/^[1-9]\d{0,9}$/.test(match[2]) && Number(match[2]) <= 2_147_483_647) versions.push(Number(match[2]));
  }
  return versions;
}

/** The versions a conditional write may apply to: null for any (no If-Match, or `*`: the task must only exist). */
export function versionsAllowedBy(condition: EtagCondition | undefined): number[] | null {
  return condition === undefined || condition === '*' ? null : condition;
}

/** Whether a task at `version` satisfies the condition. */
export function etagMatches(condition: EtagCondition, version: number): boolean {
  return condition === '*' || condition.includes(version);
}
