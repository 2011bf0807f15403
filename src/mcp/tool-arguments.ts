import type { Type } from '@nestjs/common';
import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { createValidationPipe } from '../common/validation/validation.pipe.js';

/** The REST API's own validation pipe: the same options, rules and messages as for a request body. */
const restValidation = createValidationPipe();

/**
 * A tool's arguments as an instance of `dto`, validated and transformed exactly as the REST API
 * validates a request body (trimming, tag normalisation, unknown fields refused). A refusal is the
 * same 400 ProblemException, field errors included, which the tool reports as its error.
 */
export async function validateArguments<T extends object>(dto: Type<T>, args: Record<string, unknown>): Promise<T> {
  return (await restValidation.transform(args, { type: 'body', metatype: dto })) as T;
}

type JsonSchemaOf = StandardSchemaWithJSON['~standard']['jsonSchema'];

/**
 * `schema`'s JSON Schema conversions, each made once. The SDK converts a tool's schemas on the
 * server it is registered with, and a stateless MCP server lives for one request: without this,
 * every tool call converted them again (most of a call's CPU, and its garbage).
 */
function memoisedJsonSchema(jsonSchema: JsonSchemaOf): JsonSchemaOf {
  const made = new Map<string, Record<string, unknown>>();
  const once = (io: 'input' | 'output') => (options: Parameters<JsonSchemaOf['input']>[0]) => {
    const key = `${io} ${JSON.stringify(options)}`;
    if (!made.has(key)) made.set(key, jsonSchema[io](options));
    return made.get(key)!;
  };
  return { input: once('input'), output: once('output') };
}

/**
 * What a tool advertises as its input: `shape`'s JSON Schema, without zod's validation. The SDK
 * would otherwise refuse arguments in zod's words before the tool runs; this way the REST DTO
 * (validateArguments) is the one rule that decides, and every refusal reads like the REST 400.
 */
export function describedBy(shape: z.ZodObject): StandardSchemaWithJSON<Record<string, unknown>> {
  const { vendor, version, jsonSchema } = shape['~standard'];
  return { '~standard': { vendor, version, jsonSchema: memoisedJsonSchema(jsonSchema), validate: (value) => ({ value: value as Record<string, unknown> }) } };
}

/** What a tool promises to return: `shape`, checked by zod as the SDK does, its JSON Schema made once. */
export function returning<T extends z.ZodObject>(shape: T): StandardSchemaWithJSON<z.input<T>, z.output<T>> {
  const standard = shape['~standard'];
  return { '~standard': { ...standard, jsonSchema: memoisedJsonSchema(standard.jsonSchema) } };
}
