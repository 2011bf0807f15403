import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsString, ValidateIf } from 'class-validator';
import { CreateTaskDto } from '../dto/create-task.dto.js';
import { UpdateTaskDto } from '../dto/update-task.dto.js';

/** The most operations one batch may carry: one transaction, its row locks and its response stay small. */
export const BATCH_MAX_OPERATIONS = 100;

/**
 * The batch route's body limit. 100 creates with the longest fields, every character written as a
 * `\uXXXX` escape, take about 1.3 MB: 2 MiB fits any valid batch, while 100 times the single
 * limit (10 MiB by default) would let one request hold that much memory while it is parsed.
 */
export const BATCH_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

export const BATCH_OPERATION_KINDS = ['create', 'update', 'delete'] as const;
export type BatchOperationKind = (typeof BATCH_OPERATION_KINDS)[number];

/**
 * The shape of each kind of operation. Each is validated with the API's own pipe (unknown members
 * refused); its `task` is then validated on its own, as the single route's body (BatchOperationsPipe).
 */
export class CreateOperationDto {
  @ApiProperty({ enum: ['create'] })
  @IsIn(['create'])
  op!: 'create';

  @ApiProperty({ type: () => CreateTaskDto, description: 'As the body of POST /api/tasks' })
  @IsObject({ message: 'task must be an object' })
  task!: object;
}

/** What an update and a delete have in common: the task they change, and the version it must be at. */
export abstract class ExistingTaskOperationDto {
  @ApiProperty({ description: 'The task id', format: 'uuid' })
  @IsString({ message: 'id must be a UUID' })
  id!: string;

  @ApiPropertyOptional({
    description: 'As the If-Match header of the single route: `"*"` or entity tags such as `"\\"3\\""` (the task\'s ETag); 412 if the task is at another version.',
    example: '"3"',
  })
  // Optional, but `null` is refused like any other wrong type (as for the task fields).
  @ValidateIf((_object: object, value: unknown) => value !== undefined)
  @IsString()
  ifMatch?: string;
}

export class UpdateOperationDto extends ExistingTaskOperationDto {
  @ApiProperty({ enum: ['update'] })
  @IsIn(['update'])
  op!: 'update';

  @ApiProperty({ type: () => UpdateTaskDto, description: 'As the body of PATCH /api/tasks/{id} (JSON merge patch: `null` clears description and dueAt)' })
  @IsObject({ message: 'task must be an object' })
  task!: object;
}

export class DeleteOperationDto extends ExistingTaskOperationDto {
  @ApiProperty({ enum: ['delete'] })
  @IsIn(['delete'])
  op!: 'delete';
}

export const BATCH_OPERATION_SHAPES = { create: CreateOperationDto, update: UpdateOperationDto, delete: DeleteOperationDto } as const;

export class BatchRequestDto {
  @ApiProperty({
    description: `1 to ${BATCH_MAX_OPERATIONS} operations, applied in order, all or none.`,
    type: 'array',
    minItems: 1,
    maxItems: BATCH_MAX_OPERATIONS,
    items: {
      oneOf: [CreateOperationDto, UpdateOperationDto, DeleteOperationDto].map((dto) => ({ $ref: getSchemaPath(dto) })),
      discriminator: {
        propertyName: 'op',
        mapping: Object.fromEntries(Object.entries(BATCH_OPERATION_SHAPES).map(([op, dto]) => [op, getSchemaPath(dto)])),
      },
    },
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'operations must have at least 1 operation' })
  @ArrayMaxSize(BATCH_MAX_OPERATIONS, { message: `operations must have at most ${BATCH_MAX_OPERATIONS} operations` })
  operations!: unknown[];
}
