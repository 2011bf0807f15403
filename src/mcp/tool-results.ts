import { Logger } from '@nestjs/common';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { ProblemDetailsFilter, problemBody } from '../common/problem/problem-details.filter.js';
import { MCP_PATH } from './protected-resource.js';

const problems = new ProblemDetailsFilter();
const logger = new Logger('McpTools');
const SERVICE_UNAVAILABLE = 503;

/**
 * Runs one tool call. Its value becomes the structured result, with the same JSON as text for
 * clients that only read text. Anything thrown (a validation 400, a 404, a 412, a database
 * failure) becomes a tool error carrying the problem+json body the REST API would answer with,
 * so the model reads what was wrong, and a refusal is never a protocol error. Unexpected errors are
 * logged and reported without their details, as REST reports a 500.
 */
export async function runTool(requestId: string, work: () => Promise<object>): Promise<CallToolResult> {
  try {
    const value = await work();
    return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
  } catch (error) {
    const problem = problems.toProblem(error);
    if (problem.status >= 500 && problem.status !== SERVICE_UNAVAILABLE) logger.error({ err: error, requestId }, 'Unhandled error in an MCP tool');
    return { isError: true, content: [{ type: 'text', text: JSON.stringify(problemBody(problem, MCP_PATH, requestId)) }] };
  }
}
