import { ApiProperty } from '@nestjs/swagger';

export class TagSummaryResponse {
  @ApiProperty({ description: 'The tag, in its most used spelling (tags are compared ignoring case).', example: 'home' })
  name!: string;

  @ApiProperty({ description: 'How many open tasks carry it.', type: 'integer', minimum: 0, example: 2 })
  open!: number;

  @ApiProperty({ description: 'How many tasks carry it.', type: 'integer', minimum: 1, example: 5 })
  total!: number;
}

export class TagListResponse {
  @ApiProperty({ description: "The caller's tags, alphabetically (ignoring case).", type: [TagSummaryResponse] })
  items!: TagSummaryResponse[];
}
