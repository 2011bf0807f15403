import 'reflect-metadata';
import type { ArgumentMetadata } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { describe, expect, it } from 'vitest';
import { CreateTaskDto } from '../../tasks/dto/create-task.dto.js';
import { ListTasksQueryDto } from '../../tasks/dto/list-tasks-query.dto.js';
import { ProblemType } from '../problem/problem-type.js';
import { type ProblemOptions, ProblemException } from '../problem/problem.exception.js';
import { createValidationPipe } from './validation.pipe.js';

const pipe = createValidationPipe();
const CREATE_BODY: ArgumentMetadata = { type: 'body', metatype: CreateTaskDto };

async function problemFor(value: unknown, metadata: ArgumentMetadata): Promise<ProblemOptions> {
  const error: unknown = await pipe.transform(value, metadata).then(
    () => new Error('the pipe accepted the input'),
    (rejection: unknown) => rejection,
  );
  if (error instanceof ProblemException) return error.problem;
  throw error;
}

/** The query object Fastify's parser hands Nest for `search` (its prototype is not Object.prototype). */
async function fastifyQuery(search: string): Promise<unknown> {
  const fastify = new FastifyAdapter().getInstance();
  let query: unknown;
  fastify.get('/', (request) => {
    query = request.query;
    return {};
  });
  await fastify.inject(`/${search}`);
  await fastify.close();
  return query;
}

describe('the global validation pipe', () => {
  it('turns a valid body into its DTO, with the fields trimmed and the tags de-duplicated', async () => {
    const dto: unknown = await pipe.transform({ title: ' Buy milk ', tags: [' Home', 'home', 'work'], description: null }, CREATE_BODY);
    expect(dto).toBeInstanceOf(CreateTaskDto);
    expect(dto).toEqual(Object.assign(new CreateTaskDto(), { title: 'Buy milk', tags: ['Home', 'work'], description: null }));
  });

  it('reads a query as Fastify parses it: repeated parameters as lists, numbers and booleans typed', async () => {
    const query = await fastifyQuery('?tag=+home+&tag=work&priority=low&priority=high&limit=20&overdue=true&sort=dueAt');
    const dto: unknown = await pipe.transform(query, { type: 'query', metatype: ListTasksQueryDto });
    expect(dto).toBeInstanceOf(ListTasksQueryDto);
    expect(dto).toEqual(Object.assign(new ListTasksQueryDto(), { tag: ['home', 'work'], priority: ['low', 'high'], limit: 20, overdue: true, sort: 'dueAt' }));
  });

  it('answers a repeated parameter with one bad value as an error of that parameter', async () => {
    const query = await fastifyQuery('?priority=high&priority=bogus');
    const problem = await problemFor(query, { type: 'query', metatype: ListTasksQueryDto });
    expect(problem).toMatchObject({ status: 400, type: ProblemType.ValidationError, detail: 'The request has 1 invalid field: priority.' });
    expect(problem.errors).toEqual([{ field: 'priority', message: 'each priority must be one of none, low, medium, high' }]);
  });

  it('lists every rule a field breaks, names unknown fields, and counts fields in the detail', async () => {
    const problem = await problemFor({ title: 'ok', tags: [1], colour: 'red' }, CREATE_BODY);
    expect(problem).toMatchObject({ status: 400, type: ProblemType.ValidationError, title: 'Validation failed' });
    expect(problem.detail).toBe('The request has 2 invalid fields: colour, tags.');
    expect(problem.errors).toEqual([
      { field: 'colour', message: 'colour is not a known field' },
      { field: 'tags', message: 'each of tags must be a string' },
      { field: 'tags', message: 'each of tags must be 1 to 40 characters long (after trimming)' },
      { field: 'tags', message: 'each of tags must be Unicode text without the NUL character (U+0000)' },
    ]);
  });

  it('lists the first 20 invalid fields and counts the rest', async () => {
    const body = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 1]));
    const problem = await problemFor(body, CREATE_BODY);
    // title is missing, and 30 unknown keys: 31 fields.
    expect(problem.detail).toMatch(/^The request has 31 invalid fields: (\w+, ){19}\w+ and 11 more \(not listed\)\.$/);
    expect(new Set(problem.errors?.map((error) => error.field)).size).toBe(20);
  });
});
