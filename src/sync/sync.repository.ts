import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Statement } from '../tasks/task.statements.js';
import { type ChangeRow, changesStatement, purgeChangesStatement, snapshotStatement, type SnapshotRow } from './sync.statements.js';

/** Reads of the change feed and its purge (sync.statements.ts says why they are SQL and how they stay correct). */
@Injectable()
export class SyncRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  changes(params: { ownerId: string; xid: string; position: string; limit: number }): Promise<ChangeRow[]> {
    return this.rows<ChangeRow>(changesStatement(params));
  }

  snapshot(params: { ownerId: string; xid: string; afterId: string; limit: number }): Promise<SnapshotRow[]> {
    return this.rows<SnapshotRow>(snapshotStatement(params));
  }

  async purge(params: { retentionDays: number }): Promise<void> {
    const { text, values } = purgeChangesStatement(params);
    await this.dataSource.query(text, values);
  }

  private rows<Row>({ text, values }: Statement): Promise<Row[]> {
    return this.dataSource.query<Row[]>(text, values);
  }
}
