import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Exclude, Expose, plainToInstance, Transform, Type } from 'class-transformer';
import { IsOptional, IsString } from 'class-validator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CreateTaskDto } from '../../tasks/dto/create-task.dto.js';
import { ListTasksQueryDto } from '../../tasks/dto/list-tasks-query.dto.js';
import { plainToDto } from './compiled-transform.js';
import { createValidationPipe } from './validation.pipe.js';

describe('plainToDto', () => {
  it('builds what class-transformer builds from a flat body: the class, the keys, the @Transform results', () => {
    const body = { title: '  Buy milk ', tags: [' Home', 'home', 'work'], completed: false, description: null, dueAt: '2026-05-01T09:00:00Z' };
    const dto = plainToDto(CreateTaskDto, body);
    const reference = plainToInstance(CreateTaskDto, structuredClone(body));
    expect(dto).toBeInstanceOf(CreateTaskDto);
    expect(Object.keys(dto!)).toEqual(Object.keys(reference));
    expect(dto).toEqual(reference);
    expect(dto).toMatchObject({ title: 'Buy milk', tags: ['Home', 'work'] });
    // The input is left as it came, and the DTO holds arrays of its own.
    expect(body.tags).toEqual([' Home', 'home', 'work']);
    expect((dto as CreateTaskDto).tags).not.toBe(body.tags);
  });

  it('reads query parameters, which come without a prototype', () => {
    const query = Object.assign(Object.create(null) as object, { tag: ' home ', limit: '20', overdue: 'true' });
    expect(plainToDto(ListTasksQueryDto, query)).toEqual(plainToInstance(ListTasksQueryDto, { ...query }));
  });

  it('reads query parameters as Fastify parses them (an object whose prototype is an empty one without a prototype)', async () => {
    const app = new FastifyAdapter().getInstance();
    let query: unknown;
    app.get('/', (request) => {
      query = request.query;
      return {};
    });
    await app.inject('/?tag=+home+&tag=work&limit=20&overdue=true');
    await app.close();

    const dto = plainToDto(ListTasksQueryDto, query);
    expect(dto).toBeInstanceOf(ListTasksQueryDto);
    expect(dto).toEqual(plainToInstance(ListTasksQueryDto, { ...(query as object) }));
    expect(dto).toMatchObject({ tag: ['home', 'work'], limit: 20, overdue: true });
  });

  it('leaves to class-transformer what it does not model', () => {
    const refused: unknown[] = [
      { title: 'x', extra: 1 },
      { title: 'x', constructor: 'y' },
      { title: { text: 'x' } },
      { title: 'x', tags: [['nested']] },
      { title: 'x', tags: Object.assign(new Array<string>(2), { 1: 'home' }) },
      { title: 'x', dueAt: new Date() },
      [{ title: 'x' }],
      'title',
      null,
      Object.assign(new CreateTaskDto(), { title: 'x' }),
    ];
    for (const value of refused) expect(plainToDto(CreateTaskDto, value)).toBeUndefined();
    expect(plainToDto(CreateTaskDto, { title: 'x' }, { groups: ['admin'] })).toBeUndefined();
    expect(plainToDto(CreateTaskDto, { title: 'x' }, { excludeExtraneousValues: true })).toBeUndefined();
    // Options left at class-transformer's defaults change nothing.
    expect(plainToDto(CreateTaskDto, { title: 'x' }, { enableImplicitConversion: false })).toEqual(plainToInstance(CreateTaskDto, { title: 'x' }));
  });

  it('leaves to class-transformer the classes whose decorators change how values are copied', () => {
    class Inner {
      @IsString()
      name!: string;
    }
    class Typed {
      @Type(() => Inner)
      @IsOptional()
      inner?: Inner;
    }
    class Exposed {
      @Expose({ name: 'full_name' })
      @IsString()
      name!: string;
    }
    class Excluded {
      @Exclude()
      @IsOptional()
      secret?: string;

      @IsString()
      name!: string;
    }
    class WithAccessor {
      @IsString()
      get name(): string {
        return 'fixed';
      }
    }
    for (const target of [Typed, Exposed, Excluded, WithAccessor]) {
      expect(plainToDto(target, { name: 'x' })).toBeUndefined();
    }
  });

  it('applies only the @Transform functions class-transformer applies without groups', () => {
    class Grouped {
      @Transform(({ value }: { value: unknown }) => `${String(value)}!`, { groups: ['admin'] })
      @Transform(({ value }: { value: unknown }) => String(value).toUpperCase(), { toPlainOnly: true })
      @Transform(({ value }: { value: unknown }) => String(value).trim())
      @IsString()
      name!: string;
    }
    expect(plainToDto(Grouped, { name: ' x ' })).toEqual(plainToInstance(Grouped, { name: ' x ' }));
    expect(plainToDto(Grouped, { name: ' x ' })).toEqual({ name: 'x' });
  });
});

describe('the global validation pipe', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("builds a valid flat body itself, and hands anything else to Nest's own path", async () => {
    const nestTransform = vi.spyOn(ValidationPipe.prototype, 'transform');
    const pipe = createValidationPipe();
    const metadata = { type: 'body' as const, metatype: CreateTaskDto };

    const dto: unknown = await pipe.transform({ title: ' Buy milk ', tags: ['home'] }, metadata);
    expect(dto).toEqual(Object.assign(new CreateTaskDto(), { title: 'Buy milk', tags: ['home'] }));
    expect(nestTransform).not.toHaveBeenCalled();

    await expect(pipe.transform({ title: '' }, metadata)).rejects.toThrow();
    await expect(pipe.transform({ title: 'x', extra: true }, metadata)).rejects.toThrow();
    expect(nestTransform).toHaveBeenCalledTimes(2);
  });

  it('builds a valid query itself, in the shape Fastify parses it', async () => {
    const nestTransform = vi.spyOn(ValidationPipe.prototype, 'transform');
    const query = Object.assign(Object.create(Object.create(null) as object) as object, { limit: '20', sort: 'dueAt' });

    const dto: unknown = await createValidationPipe().transform(query, { type: 'query', metatype: ListTasksQueryDto });

    expect(dto).toEqual(Object.assign(new ListTasksQueryDto(), { limit: 20, sort: 'dueAt' }));
    expect(nestTransform).not.toHaveBeenCalled();
  });
});
