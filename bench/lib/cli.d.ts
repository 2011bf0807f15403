export function parseFlags(
  argv: string[],
  spec: Record<string, { type: 'number' | 'string' | 'boolean' | 'list'; default: unknown }>,
): Record<string, unknown>;
