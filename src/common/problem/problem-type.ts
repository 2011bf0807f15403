/**
 * Stable problem `type` URIs (RFC 9457 §3.1.1). Clients may switch on them; they never change once
 * published. They identify, and are not meant to be fetched.
 */
const BASE = 'https://tasks-api.dev/problems/';

export const ProblemType = {
  ValidationError: `${BASE}validation-error`,
  BadRequest: `${BASE}bad-request`,
  MalformedBody: `${BASE}malformed-body`,
  Unauthorized: `${BASE}unauthorized`,
  Forbidden: `${BASE}forbidden`,
  NotFound: `${BASE}not-found`,
  MethodNotAllowed: `${BASE}method-not-allowed`,
  NotAcceptable: `${BASE}not-acceptable`,
  Conflict: `${BASE}conflict`,
  PreconditionFailed: `${BASE}precondition-failed`,
  PayloadTooLarge: `${BASE}payload-too-large`,
  UnsupportedMediaType: `${BASE}unsupported-media-type`,
  Unprocessable: `${BASE}unprocessable-entity`,
  TooManyRequests: `${BASE}too-many-requests`,
  InternalError: `${BASE}internal-error`,
  ServiceUnavailable: `${BASE}service-unavailable`,
  /** 410 from the change feed: the token is older than the tombstone retention; sync from the start. */
  SyncTokenExpired: `${BASE}sync-token-expired`,
} as const;

/** The type used for a status when the thrower did not name one. */
export function defaultProblemType(status: number): string {
  const byStatus: Record<number, string> = {
    400: ProblemType.BadRequest,
    401: ProblemType.Unauthorized,
    403: ProblemType.Forbidden,
    404: ProblemType.NotFound,
    405: ProblemType.MethodNotAllowed,
    406: ProblemType.NotAcceptable,
    409: ProblemType.Conflict,
    412: ProblemType.PreconditionFailed,
    413: ProblemType.PayloadTooLarge,
    415: ProblemType.UnsupportedMediaType,
    422: ProblemType.Unprocessable,
    429: ProblemType.TooManyRequests,
    503: ProblemType.ServiceUnavailable,
  };
  return byStatus[status] ?? (status >= 500 ? ProblemType.InternalError : 'about:blank');
}
