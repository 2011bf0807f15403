import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { consumeTicketStatement, issueTicketStatement, type IssuedTicketRow, type TicketPrincipalRow } from './event-ticket.statements.js';

/** The SQL of stream tickets (event-ticket.statements.ts). */
@Injectable()
export class EventTicketsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The new ticket's expiry, or undefined when the owner holds too many already. */
  async issue(params: Parameters<typeof issueTicketStatement>[0]): Promise<IssuedTicketRow | undefined> {
    const { text, values } = issueTicketStatement(params);
    const rows = await this.dataSource.query<IssuedTicketRow[]>(text, values);
    return rows[0];
  }

  async consume(params: { hash: Buffer }): Promise<TicketPrincipalRow | undefined> {
    const { text, values } = consumeTicketStatement(params);
    // DELETE ... RETURNING comes back from TypeORM's PostgreSQL driver as [rows, count].
    const [rows] = await this.dataSource.query<[TicketPrincipalRow[], number]>(text, values);
    return rows[0];
  }
}
