/** EXPLAIN ANALYZE of the statements the built API runs, reduced to what the bench reports. */
import { round } from './stats.js';

/** A plan's nodes, from the top down; `withSubplans` false leaves out InitPlans and SubPlans (a one-row lookup each, here). */
function planNodes(plan, withSubplans) {
  const children = (plan.Plans ?? []).filter((child) => withSubplans || !['InitPlan', 'SubPlan'].includes(child['Parent Relationship']));
  return [plan, ...children.flatMap((child) => planNodes(child, withSubplans))];
}

/** The rows a Sort node took in (its input's), not what it gave out: a top-N sort gives out only N. */
function sortedRows(sort) {
  const input = sort.Plans.find((child) => child['Parent Relationship'] === 'Outer');
  return input['Actual Rows'] * input['Actual Loops'];
}

/**
 * Runs `statement` under EXPLAIN (ANALYZE) on `client`: its execution time, whether it reads
 * `table` by a sequential scan (anywhere in the plan it ran), the most rows any Sort node took in (0 when
 * none), and an outline of its main nodes (with their indexes).
 * @param {import('pg').Client} client @param {{ text: string, values: unknown[] }} statement @param {string} table
 */
export async function explainStatement(client, { text, values }, table) {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values);
  const [{ Plan: plan, 'Execution Time': executionMs }] = rows[0]['QUERY PLAN'];
  const nodes = planNodes(plan, true);
  return {
    executionMs: round(executionMs, 2),
    // A node never executed (a branch its one-time filter skipped, as a search's) reads nothing.
    seqScan: nodes.some((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === table && node['Actual Loops'] > 0),
    sortedRows: Math.max(0, ...nodes.filter((node) => node['Node Type'] === 'Sort').map(sortedRows)),
    outline: planNodes(plan, false).map((node) => (node['Index Name'] ? `${node['Node Type']} (${node['Index Name']})` : node['Node Type'])).join(' → '),
  };
}
