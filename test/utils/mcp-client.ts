import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import type { TaskJson } from './tasks-client.js';

/** The current revision (stateless, no initialize) or the 2025 one (initialize handshake, served statelessly). */
export type McpEra = 'modern' | 'legacy';

/** A refused tool call's text: the problem+json body the REST API would answer with. */
export interface ToolProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: { field: string; message: string }[];
}

export type ToolOutcome = { ok: true; value: Record<string, unknown> } | { ok: false; problem: ToolProblem };

/** An MCP client of the SDK, connected to `baseUrl`/mcp over Streamable HTTP with a bearer token. */
export interface McpUser {
  client: Client;
  /** Calls a tool; checks that a result's text is the JSON of its structured content. */
  call(name: string, args?: Record<string, unknown>): Promise<ToolOutcome>;
  /** Calls a tool that must succeed, and returns its structured content. */
  value<T = TaskJson>(name: string, args?: Record<string, unknown>): Promise<T>;
  /** Calls a tool that must be refused, and returns the problem. */
  problem(name: string, args?: Record<string, unknown>): Promise<ToolProblem>;
  close(): Promise<void>;
}

export async function connectMcp(baseUrl: string, authorization: string, era: McpEra = 'modern'): Promise<McpUser> {
  const client = new Client({ name: 'tasks-api-e2e', version: '1.0.0' }, era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {});
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), { requestInit: { headers: { authorization } } }));
  expect(client.getProtocolEra()).toBe(era);

  const call = async (name: string, args: Record<string, unknown> = {}): Promise<ToolOutcome> => {
    const result = await client.callTool({ name, arguments: args });
    const [first] = result.content as { type: string; text: string }[];
    expect(first.type).toBe('text');
    if (result.isError === true) return { ok: false, problem: JSON.parse(first.text) as ToolProblem };
    expect(JSON.parse(first.text)).toEqual(result.structuredContent);
    return { ok: true, value: result.structuredContent as Record<string, unknown> };
  };
  return {
    client,
    call,
    value: async <T>(name: string, args?: Record<string, unknown>) => {
      const outcome = await call(name, args);
      if (!outcome.ok) throw new Error(`${name} was refused: ${JSON.stringify(outcome.problem)}`);
      return outcome.value as T;
    },
    problem: async (name, args) => {
      const outcome = await call(name, args);
      if (outcome.ok) throw new Error(`${name} succeeded: ${JSON.stringify(outcome.value)}`);
      return outcome.problem;
    },
    close: () => client.close(),
  };
}
