import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { productionNodeArgs } from './servers.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(resolve(ROOT, file), 'utf8');

// The benchmark measures the API as `npm run start:prod` starts it; these checks keep the other
// ways of starting it (npm start, the Docker image) on the same V8 options, so what is measured is
// what runs.
describe('production node options', () => {
  const options = productionNodeArgs();

  it('turn allocation-site pretenuring off and cap the old generation', () => {
    expect(options).toContain('--no-allocation-site-pretenuring');
    expect(options.some((option) => /^--max-old-space-size=\d+$/.test(option))).toBe(true);
  });

  it('are the same for npm start', () => {
    const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(scripts.start).toBe(`nest build && node ${options.join(' ')} dist/main.js`);
  });

  it('are the same for the Docker image', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'));
    expect(cmd).not.toBeNull();
    expect(JSON.parse(cmd![1])).toEqual(['node', ...options, 'dist/main.js']);
  });
});
