import { describe, expect, it } from 'vitest';
import { parseTraceparent, traceparentOf } from './trace-context.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('parseTraceparent', () => {
  it('reads version 00, and a later version with extra fields (W3C: parse what it knows)', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-00f067aa0ba902b7-01`)).toEqual({ traceId: TRACE_ID, flags: '01' });
    expect(parseTraceparent(`01-${TRACE_ID}-00f067aa0ba902b7-00-future`)).toEqual({ traceId: TRACE_ID, flags: '00' });
  });

  it.each([undefined, ['a', 'b'], '', `00-${TRACE_ID}-00f067aa0ba902b7`, `00-${TRACE_ID.slice(1)}-00f067aa0ba902b7-01`, `00-${TRACE_ID}-00f067aa0ba902b7-01-x`])(
    'ignores %j',
    (header) => expect(parseTraceparent(header)).toBeUndefined(),
  );

  it('passes the trace on with this service as the parent', () => {
    expect(traceparentOf({ traceId: TRACE_ID, spanId: 'b7ad6b7169203331', flags: '01' })).toBe(`00-${TRACE_ID}-b7ad6b7169203331-01`);
  });
});
