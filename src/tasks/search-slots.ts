import { ProblemType } from '../common/problem/problem-type.js';
import { ProblemException } from '../common/problem/problem.exception.js';

export const TOO_MANY_SEARCHES_DETAIL = 'Too many searches at once: wait for one of yours to finish, then retry.';

/**
 * At most `perOwner` searches (`q=`, the one expensive kind of query) of one owner run at once in
 * this instance; another is refused at once with 429 rather than queued, so one user's searches
 * can never hold every connection of the pool while other users wait.
 */
export class SearchSlots {
  private readonly running = new Map<string, number>();

  constructor(private readonly perOwner: number) {}

  async run<T>(ownerId: string, search: () => Promise<T>): Promise<T> {
    const running = this.running.get(ownerId) ?? 0;
    if (running >= this.perOwner) {
      throw new ProblemException({ status: 429, type: ProblemType.TooManyRequests, detail: TOO_MANY_SEARCHES_DETAIL, headers: { 'retry-after': '1' } });
    }
    this.running.set(ownerId, running + 1);
    try {
      return await search();
    } finally {
      const left = (this.running.get(ownerId) ?? 1) - 1;
      if (left === 0) this.running.delete(ownerId);
      else this.running.set(ownerId, left);
    }
  }
}
