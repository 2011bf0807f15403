import { ProblemType } from '../common/problem/problem-type.js';
import { ProblemException } from '../common/problem/problem.exception.js';

export const TOO_MANY_SEARCHES_DETAIL = 'Too many searches at once: wait for one of yours to finish, then retry.';
export const TOO_MANY_BATCHES_DETAIL = 'Too many batches at once: wait for one of yours to finish, then retry.';

/**
 * At most `perOwner` runs of one expensive kind of work (a search, a batch) of one owner at once in
 * this instance; another is refused at once with 429 rather than queued, so one user's requests can
 * never hold every connection of the pool while other users wait.
 */
export class OwnerSlots {
  private readonly running = new Map<string, number>();

  constructor(
    private readonly perOwner: number,
    private readonly refusal: string,
  ) {}

  async run<T>(ownerId: string, work: () => Promise<T>): Promise<T> {
    const running = this.running.get(ownerId) ?? 0;
    if (running >= this.perOwner) {
      throw new ProblemException({ status: 429, type: ProblemType.TooManyRequests, detail: this.refusal, headers: { 'retry-after': '1' } });
    }
    this.running.set(ownerId, running + 1);
    try {
      return await work();
    } finally {
      const left = (this.running.get(ownerId) ?? 1) - 1;
      if (left === 0) this.running.delete(ownerId);
      else this.running.set(ownerId, left);
    }
  }
}
