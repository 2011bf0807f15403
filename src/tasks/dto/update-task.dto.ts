import { PartialType } from '@nestjs/swagger';
import { CreateTaskDto } from './create-task.dto.js';

/**
 * Every field optional; a field that is sent is validated as on create, so `"title": null` is a
 * 400 rather than silently ignored (skipNullProperties: false). `description` and `dueAt` accept
 * `null`, which clears them (JSON merge patch semantics, RFC 7396).
 */
export class UpdateTaskDto extends PartialType(CreateTaskDto, { skipNullProperties: false }) {}
