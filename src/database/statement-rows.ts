import type { DataSource, QueryResult, QueryRunner } from 'typeorm';

/** One statement: SQL text with `$n` placeholders, and the values they bind, in order. */
export interface Statement {
  text: string;
  values: unknown[];
}

/**
 * The rows a statement returns, typed as the statement's row. A QueryRunner's structured result
 * has the same shape for every kind of statement, where DataSource.query returns `[rows, count]`
 * for an UPDATE but the rows for an INSERT. Given a transaction's runner, it runs there; otherwise
 * on a pooled connection held for this statement only.
 */
export async function statementRows<Row>(dataSource: DataSource, statement: Statement, transaction?: QueryRunner): Promise<Row[]> {
  const runner = transaction ?? dataSource.createQueryRunner();
  try {
    const { records } = (await runner.query(statement.text, statement.values, true)) as QueryResult<Row>;
    return records;
  } finally {
    if (runner !== transaction) await runner.release();
  }
}
