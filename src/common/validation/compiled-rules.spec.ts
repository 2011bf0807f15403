import 'reflect-metadata';
import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { IsString, ValidateNested, Validate, ValidatorConstraint, type ValidatorConstraintInterface, validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { CompatCreateTaskDto, CompatListQueryDto, CompatUpdateTaskDto } from '../../tasks/compat/compat-task.dto.js';
import { CreateTaskDto } from '../../tasks/dto/create-task.dto.js';
import { ListTasksQueryDto } from '../../tasks/dto/list-tasks-query.dto.js';
import { UpdateTaskDto } from '../../tasks/dto/update-task.dto.js';
import { ProblemException } from '../problem/problem.exception.js';
import { passesCompiledRules } from './compiled-rules.js';
import { createValidationPipe, VALIDATION_PIPE_OPTIONS } from './validation.pipe.js';

/** What the global pipe hands class-validator. */
const { whitelist, forbidNonWhitelisted, forbidUnknownValues, validationError } = VALIDATION_PIPE_OPTIONS;
const VALIDATOR_OPTIONS = { whitelist, forbidNonWhitelisted, forbidUnknownValues, validationError };

/** Deterministic, so a failure names an input that can be replayed. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DATE = '2026-05-01T09:00:00Z';
/** Plausible values per field name (mostly valid), so that valid objects are common. */
const LIKELY: Record<string, unknown[]> = {
  title: ['Buy milk', '  Buy milk  ', 'é✓ 😀', 'x'.repeat(200)],
  description: ['Two litres', '', null],
  completed: [true, false],
  priority: ['none', 'low', 'medium', 'high', ['low', 'high']],
  tags: [['home', 'errands'], [], ['Home', 'home', ' home ']],
  dueAt: [DATE, '2024-02-29T23:59:59.5+01:00', null],
  due_date: [DATE, null],
  status: ['all', 'open', 'completed', 'pending'],
  tag: ['home', ['home', 'work'], ' padded '],
  q: ['milk', 'buy mil'],
  dueBefore: [DATE],
  dueAfter: [DATE],
  overdue: ['true', 'false'],
  sort: ['dueAt', '-title', 'relevance', 'created', 'due_date'],
  limit: ['20', '1', '100'],
  cursor: ['abc'],
};
/** Anything a client can send in JSON or a query string, hostile values included. */
const ANY: unknown[] = [
  '', '   ', 'x'.repeat(201), 'x'.repeat(2001), 'a\u0000b', 'true', 'false', '0', '101', '1.5', '-1', '1e2', 'urgent', 'open',
  '2026-02-30T00:00:00Z', '2026-05-01', DATE, 0, 1, 20, -1, 1.5, true, false, null, {}, { title: 'x' }, [], [''], [1], ['a\u0000'],
  ['x'.repeat(41)], Array.from({ length: 21 }, (_, i) => `t${i}`), [null], [['nested']], [{ name: 'home' }],
  // a sparse array: class-transformer copies it without its gaps, which Nest closes first
  Object.assign(new Array<string>(3), { 0: 'home', 2: 'work' }),
];
const UNKNOWN_KEYS = ['foo', 'id', 'ownerId', 'constructor', 'hasOwnProperty', 'toString'];

function randomInput(random: () => number, keys: string[]): Record<string, unknown> {
  const pick = <T>(values: T[]): T => values[Math.floor(random() * values.length)];
  const input: Record<string, unknown> = {};
  for (const key of keys) {
    if (random() < 0.4) continue;
    input[key] = random() < 0.8 && LIKELY[key] ? pick(LIKELY[key]) : pick(ANY);
  }
  if (random() < 0.08) input[pick(UNKNOWN_KEYS)] = pick(ANY);
  return input;
}

/** Fastify's query-string parser makes each query an instance of this: its prototype has no prototype. */
const QUERY_PROTOTYPE = Object.create(null) as object;
type Shape = 'plain' | 'null-prototype' | 'fastify-query';

/** A copy of an input, shaped as a JSON body (plain) or as a parsed query string may be. */
function copyOf(input: Record<string, unknown>, shape: Shape): Record<string, unknown> {
  const copy = structuredClone(input);
  if (shape === 'plain') return copy;
  return Object.assign(Object.create(shape === 'null-prototype' ? null : QUERY_PROTOTYPE) as Record<string, unknown>, copy);
}

/** What a handler sees: the value it gets (its class, its own keys, its content) or the 400's problem, and what became of the input. */
async function outcome(pipe: ValidationPipe, value: Record<string, unknown>, metadata: ArgumentMetadata) {
  try {
    const result: unknown = await pipe.transform(value, metadata);
    return {
      ok: true,
      type: (result as object | null)?.constructor?.name,
      keys: Object.keys(result as object),
      value: JSON.parse(JSON.stringify(result)) as unknown,
      input: JSON.parse(JSON.stringify(value)) as unknown,
    };
  } catch (error) {
    if (error instanceof ProblemException) return { ok: false, problem: error.problem, input: JSON.parse(JSON.stringify(value)) as unknown };
    throw error;
  }
}

const DTOS = [
  { dto: CreateTaskDto, type: 'body', keys: ['title', 'description', 'completed', 'priority', 'tags', 'dueAt'] },
  { dto: UpdateTaskDto, type: 'body', keys: ['title', 'description', 'completed', 'priority', 'tags', 'dueAt'] },
  { dto: ListTasksQueryDto, type: 'query', keys: ['status', 'priority', 'tag', 'q', 'dueBefore', 'dueAfter', 'overdue', 'sort', 'limit', 'cursor'] },
  { dto: CompatCreateTaskDto, type: 'body', keys: ['title', 'description', 'completed', 'priority', 'tags', 'due_date'] },
  { dto: CompatUpdateTaskDto, type: 'body', keys: ['title', 'description', 'completed', 'priority', 'tags', 'due_date'] },
  { dto: CompatListQueryDto, type: 'query', keys: ['status', 'sort'] },
] as const;

describe('the global validation pipe with compiled rules', () => {
  it.each(DTOS)('answers exactly as class-validator alone for 2,000 random $dto.name inputs', async ({ dto, type, keys }) => {
    const pipe = createValidationPipe();
    const reference = new ValidationPipe(VALIDATION_PIPE_OPTIONS);
    const metadata: ArgumentMetadata = { type, metatype: dto };
    const random = randomSource(dto.name.length * 7919);
    let accepted = 0;
    for (let i = 0; i < 2000; i += 1) {
      const input = randomInput(random, [...keys]);
      const shape: Shape = type === 'query' ? (['plain', 'null-prototype', 'fastify-query'] as const)[Math.floor(random() * 3)] : 'plain';
      const expected = await outcome(reference, copyOf(input, shape), metadata);
      expect({ input, outcome: await outcome(pipe, copyOf(input, shape), metadata) }).toEqual({ input, outcome: expected });
      if (expected.ok) accepted += 1;
    }
    // Both kinds of answer were compared, not only rejections.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(1900);
  });

  it('decides valid task bodies and queries itself, without class-validator', () => {
    const valid = [
      plainToInstance(CreateTaskDto, { title: 'Buy milk', description: null, completed: false, priority: 'high', tags: ['home'], dueAt: DATE }),
      plainToInstance(UpdateTaskDto, { completed: true }),
      plainToInstance(ListTasksQueryDto, { limit: '20', status: 'open', tag: 'home', sort: 'dueAt' }),
    ];
    for (const object of valid) {
      expect(validateSync(object, VALIDATOR_OPTIONS)).toEqual([]);
      expect(passesCompiledRules(object, VALIDATOR_OPTIONS)).toBe(true);
    }
  });

  it('leaves to class-validator what it does not model: unknown properties, groups, nested objects, async rules', () => {
    const task = plainToInstance(CreateTaskDto, { title: 'Buy milk' });
    expect(passesCompiledRules(task, VALIDATOR_OPTIONS)).toBe(true);
    expect(passesCompiledRules(Object.assign(task, { extra: 1 }), VALIDATOR_OPTIONS)).toBe(false);
    expect(passesCompiledRules(plainToInstance(CreateTaskDto, { title: 'Buy milk' }), { ...VALIDATOR_OPTIONS, groups: ['admin'] })).toBe(false);

    class Inner {
      @IsString()
      name!: string;
    }
    class WithNested {
      @ValidateNested()
      inner!: Inner;
    }
    expect(passesCompiledRules(plainToInstance(WithNested, { inner: { name: 'x' } }), VALIDATOR_OPTIONS)).toBe(false);

    @ValidatorConstraint({ name: 'eventually', async: true })
    class Eventually implements ValidatorConstraintInterface {
      validate(): Promise<boolean> {
        return Promise.resolve(true);
      }
    }
    class WithAsyncRule {
      @Validate(Eventually)
      name!: string;
    }
    expect(passesCompiledRules(plainToInstance(WithAsyncRule, { name: 'x' }), VALIDATOR_OPTIONS)).toBe(false);
  });

  it('rejects what class-validator rejects, rule by rule', () => {
    const cases: Array<[new () => object, Record<string, unknown>]> = [
      [CreateTaskDto, {}],
      [CreateTaskDto, { title: '' }],
      [CreateTaskDto, { title: 'ok', tags: ['a\u0000'] }],
      [CreateTaskDto, { title: 'ok', dueAt: '2026-02-30T00:00:00Z' }],
      [UpdateTaskDto, { title: null }],
      [ListTasksQueryDto, { limit: '0' }],
    ];
    for (const [dto, input] of cases) {
      const object = plainToInstance(dto, input);
      expect(validateSync(object, VALIDATOR_OPTIONS)).not.toEqual([]);
      expect(passesCompiledRules(object, VALIDATOR_OPTIONS)).toBe(false);
    }
  });
});
