/** Raw environment variables, as strings (process.env or a test's overrides). */
export type Environment = Record<string, string | undefined>;

/** Thrown when the environment is unusable; the message is one line that names each bad variable. */
export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

/**
 * Reads typed values out of an environment and collects every problem instead of stopping at the
 * first, so one start-up names all the variables that need fixing.
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Environment) {}

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  private fail(name: string, expectation: string, value: string): undefined {
    // Values are not echoed: a malformed variable may well be a secret.
    this.problems.push(`${name} must be ${expectation} (got ${value.length} characters)`);
    return undefined;
  }

  string(name: string, options: { required?: boolean; minLength?: number; maxLength?: number } = {}): string | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (options.required) this.problems.push(`${name} is required`);
      return undefined;
    }
    if (options.minLength !== undefined && value.length < options.minLength) {
      return this.fail(name, `at least ${options.minLength} characters long`, value);
    }
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      return this.fail(name, `at most ${options.maxLength} characters long`, value);
    }
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${value.slice(0, 20)}")`);
      return fallback;
    }
    return Number(value);
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name} must be true or false (got "${value.slice(0, 20)}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value.slice(0, 20)}")`);
      return fallback;
    }
    return value as T;
  }

  list(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  }

  url(name: string, protocols: readonly string[], options: { required?: boolean } = {}): string | undefined {
    const value = this.string(name, options);
    return value === undefined ? undefined : this.checkedUrl(name, value, protocols);
  }

  /** A comma-separated list of URLs; each malformed one is a problem. */
  urlList(name: string, protocols: readonly string[]): string[] {
    return this.list(name).flatMap((value) => this.checkedUrl(name, value, protocols) ?? []);
  }

  private checkedUrl(name: string, value: string, protocols: readonly string[]): string | undefined {
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        return this.fail(name, `a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`, value);
      }
      return value;
    } catch {
      return this.fail(name, 'a valid URL', value);
    }
  }
}
