/**
 * Realistic task data, generated server-side (generate_series + random()) so that a million rows
 * seed in seconds rather than the minutes a client-side loop would take.
 */
import pg from 'pg';

const VERBS = ['Review', 'Write', 'Fix', 'Plan', 'Call', 'Email', 'Buy', 'Book', 'Renew', 'Prepare', 'Update', 'Schedule', 'Clean', 'Pay',
  'Send', 'Organise', 'Check', 'Draft', 'Finish', 'Test', 'Deploy', 'Refactor', 'Research', 'Order', 'Return', 'Cancel', 'Submit',
  'Backup', 'Migrate', 'Discuss'];
const OBJECTS = ['the quarterly report', 'invoice', 'pull request', 'dentist appointment', 'car insurance', 'passport', 'groceries',
  'birthday present', 'team retrospective', 'budget spreadsheet', 'release notes', 'onboarding guide', 'flight tickets', 'hotel booking',
  'electricity bill', 'gym membership', 'project proposal', 'database migration', 'login page', 'payment webhook', 'search index',
  'customer feedback', 'holiday photos', 'garden fence', 'kitchen sink', 'library books', 'tax return', 'landlord', 'plumber', 'vet visit',
  'conference talk', 'design review', 'API documentation', 'unit tests', 'error dashboard', 'mobile app', 'newsletter', 'contract',
  'meeting notes', 'roadmap', 'laptop repair', 'winter tyres', 'school forms', 'parcel', 'subscription', 'backup drive', 'blog post',
  'security audit', 'interview feedback', 'expense report', 'support ticket', 'sprint board', 'wedding RSVP', 'recipe book',
  'running shoes', 'bike service', 'mortgage documents', 'pension forms', 'train tickets', 'status update'];
const CONTEXTS = ['before Friday', 'for the client', 'with Alex', 'this week', 'after lunch', 'for mum', 'on the staging server',
  'next month', 'for the board meeting', 'with the team', 'before the trip', 'if it rains', 'by end of day', 'for Q3', 'again',
  'once approved', 'for the audit', 'with Sam', 'in the morning', 'at the weekend'];
const OPENERS = ['Remember to', 'Ask about', 'Double-check', 'Do not forget', 'Follow up on', 'Look into', 'Coordinate', 'Confirm',
  'Compare prices for', 'Write down'];
const DETAILS = ['the numbers from last month', 'the open questions in the shared doc', 'what Jordan said in the standup',
  'the attachment in the last email', 'the deadline and who signs off', 'the cheapest option that still works', 'the receipts',
  'the failing checks on CI', 'the notes from the call', 'the new address', 'the reference number', 'the spare keys',
  'the warranty card', 'the latest draft', 'the comments from legal', 'the feedback from users'];
export const TAGS = ['work', 'home', 'urgent', 'errand', 'finance', 'health', 'docs', 'bug', 'feature', 'meeting', 'reading', 'travel',
  'shopping', 'family', 'ops', 'design', 'research', 'admin', 'followup', 'someday'];
/** Words the search scenario looks for: whole words and prefixes of title and description words. */
export const SEARCH_WORDS = ['invoice', 'report', 'review', 'book', 'tickets', 'fix', 'deadline', 'migration', 'insurance', 'pay', 'draft',
  'plan', 'feedback', 'repair', 'receipts', 'renew', 'rev', 'sched', 'docu', 'team'];

/**
 * The INSERT … SELECT that creates `count` tasks for each owner: titles and descriptions built from
 * the vocabulary above, 0–4 tags (about 1.8 on average), priorities none 40% / low 25% / medium 20% /
 * high 15%, due dates on two tasks in three (from 45 days ago to 105 days ahead, on the hour),
 * created over the last year, a third completed.
 */
const INSERT_TASKS = `
  INSERT INTO tasks (owner_id, title, description, completed, completed_at, priority, tags, due_at, created_at, updated_at, version)
  SELECT owner_id,
         ($3::text[])[1 + verb] || ' ' || ($4::text[])[1 + object] || CASE WHEN r_context < 0.4 THEN ' ' || ($5::text[])[1 + context] ELSE '' END,
         CASE WHEN r_description < 0.7 THEN ($6::text[])[1 + opener] || ' ' || ($7::text[])[1 + detail] || '.'
              || CASE WHEN r_description < 0.3 THEN ' ' || ($6::text[])[1 + opener2] || ' ' || ($7::text[])[1 + detail2] || '.' ELSE '' END END,
         r_completed < 1.0 / 3,
         CASE WHEN r_completed < 1.0 / 3 THEN created + (now() - created) * r_completed_at END,
         (CASE WHEN r_priority < 0.40 THEN 'none' WHEN r_priority < 0.65 THEN 'low' WHEN r_priority < 0.85 THEN 'medium' ELSE 'high' END)::task_priority,
         ARRAY(SELECT tag FROM unnest($8::text[]) AS tag WHERE random() < 0.09 + 0 * i),
         CASE WHEN r_due < 2.0 / 3 THEN date_trunc('hour', now() + (r_due_offset * 150 - 45) * interval '1 day') END,
         created,
         CASE WHEN r_completed < 1.0 / 3 THEN created + (now() - created) * r_completed_at
              ELSE created + (now() - created) * r_updated * 0.3 END,
         1 + floor(r_version * 3)::int + CASE WHEN r_completed < 1.0 / 3 THEN 1 ELSE 0 END
  FROM (
    SELECT owner.owner_id, g.i,
           now() - random() * interval '365 days' AS created,
           floor(random() * cardinality($3::text[]))::int AS verb, floor(random() * cardinality($4::text[]))::int AS object,
           floor(random() * cardinality($5::text[]))::int AS context, random() AS r_context,
           floor(random() * cardinality($6::text[]))::int AS opener, floor(random() * cardinality($7::text[]))::int AS detail,
           floor(random() * cardinality($6::text[]))::int AS opener2, floor(random() * cardinality($7::text[]))::int AS detail2,
           random() AS r_description, random() AS r_completed, random() AS r_completed_at, random() AS r_priority,
           random() AS r_due, random() AS r_due_offset, random() AS r_updated, random() AS r_version
    FROM unnest($1::text[], $2::int[]) AS owner(owner_id, n) CROSS JOIN LATERAL generate_series(1, owner.n) AS g(i)
  ) AS s`;

/** Deletes `$2` of the owner's tasks, chosen at random: each leaves a tombstone in task_changes (the trigger's). */
const DELETE_RANDOM_TASKS = 'DELETE FROM tasks WHERE id IN (SELECT id FROM tasks WHERE owner_id = $1 ORDER BY random() LIMIT $2)';

/**
 * Seeds `owners` into an empty, migrated database; an owner's `tombstones` tasks are created too
 * and deleted again, a share after each batch, so that the change feed (written by the trigger on
 * tasks: a change per insert and per delete) holds deletions all along, as a real one does. The
 * secondary indexes of tasks and task_changes are dropped and rebuilt from their own definitions
 * (pg_indexes), which builds them in bulk: the same indexes, several times faster for a million
 * rows. VACUUM ANALYZE last, so plans see settled statistics.
 * @param {string} url @param {Array<{ ownerId: string, tasks: number, tombstones?: number }>} owners @param {(message: string) => void} log
 */
export async function seedTasks(url, owners, log) {
  const client = new pg.Client({ connectionString: url, application_name: 'tasks-bench-seed' });
  await client.connect();
  try {
    await client.query("SET maintenance_work_mem = '1GB'");
    await client.query('SET max_parallel_maintenance_workers = 2');
    await client.query('SELECT setseed(0.42)');
    const { rows: indexes } = await client.query(
      `SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = current_schema() AND tablename IN ('tasks', 'task_changes')
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    );
    for (const index of indexes) await client.query(`DROP INDEX ${client.escapeIdentifier(index.indexname)}`);
    const started = Date.now();
    // Statements of at most 200k rows, so none runs long.
    for (const { ownerId, tasks, tombstones = 0 } of owners) {
      const created = tasks + tombstones;
      for (let done = 0; done < created; done += 200_000) {
        const batch = Math.min(200_000, created - done);
        await client.query(INSERT_TASKS, [[ownerId], [batch], VERBS, OBJECTS, CONTEXTS, OPENERS, DETAILS, TAGS]);
        // This batch's share of the tombstones (the shares add up to exactly `tombstones`).
        const deleted = Math.floor(((done + batch) * tombstones) / created) - Math.floor((done * tombstones) / created);
        if (deleted > 0) await client.query(DELETE_RANDOM_TASKS, [ownerId, deleted]);
      }
    }
    for (const index of indexes) await client.query(index.indexdef);
    await client.query('VACUUM (ANALYZE) tasks, task_changes');
    const [tasks, tombstones] = [(o) => o.tasks, (o) => o.tombstones ?? 0].map((count) => owners.reduce((sum, o) => sum + count(o), 0).toLocaleString('en'));
    log(`  ${tasks} tasks (and ${tombstones} deleted), indexes and VACUUM ANALYZE in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
}
