/**
 * Text PostgreSQL stores exactly as sent. It cannot hold U+0000 (the query would fail), and a lone
 * UTF-16 surrogate (`"\ud800"` is valid JSON, but not Unicode) would be stored as U+FFFD, so two
 * different inputs could become one stored value.
 */
// eslint-disable-next-line no-control-regex
export const STORABLE_TEXT = /^(?:[^\u0000\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;
