import { describe, expect, it } from 'vitest';
import { isRfc3339DateTime } from './date-time.validator.js';

describe('isRfc3339DateTime', () => {
  it.each(['2026-05-01T09:00:00Z', '2026-05-01t09:00:00z', '2026-05-01T09:00:00.5+02:00', '2024-02-29T23:59:59.123456-11:30', '0001-01-01T00:00:00Z'])(
    'accepts %s',
    (value) => expect(isRfc3339DateTime(value)).toBe(true),
  );

  it.each([
    '2026-05-01',
    '2026-05-01T09:00:00',
    '2026-05-01 09:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-05-01T24:00:00Z',
    '2026-05-01T09:60:00Z',
    '2026-05-01T09:00:60Z',
    '2026-05-01T09:00:00+24:00',
    '0000-01-01T00:00:00Z',
    '1714554000000',
    'tomorrow',
  ])('rejects %s', (value) => expect(isRfc3339DateTime(value)).toBe(false));

  it('rejects non-strings', () => {
    expect(isRfc3339DateTime(1714554000000)).toBe(false);
    expect(isRfc3339DateTime(null)).toBe(false);
  });
});
