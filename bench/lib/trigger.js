/**
 * What the change feed's trigger (issue 21: `tasks_record_change`, a task_changes row per write)
 * costs a write: the `create` scenario on the same API process, in alternating rounds with the
 * trigger enabled and disabled (ALTER TABLE … DISABLE TRIGGER on the bench database, between
 * rounds, and enabled again at the end). Its cost is the database's, so DB CPU per request is the
 * figure; the API's own CPU should not move.
 */
import { ratio } from './stats.js';

/**
 * @param {{ api: any, db: import('pg').Client, alternate: Function, actors: any[], rounds: number, options: (i: number) => object }} options
 */
export async function compareChangeTrigger({ api, db, alternate, actors, rounds, options }) {
  const trigger = (state) => () => db.query(`ALTER TABLE tasks ${state} TRIGGER tasks_record_change`);
  try {
    const sides = [
      { key: 'on', server: api, scenario: 'create', actors, before: trigger('ENABLE') },
      { key: 'off', server: api, scenario: 'create', actors, before: trigger('DISABLE') },
    ];
    const entry = await alternate(sides, rounds, options);
    return {
      scenario: 'create',
      ...entry,
      ratios: { dbCpuPerRequest: ratio(entry.on.dbCpuMsPerRequest, entry.off.dbCpuMsPerRequest), cpuPerRequest: ratio(entry.on.serverCpuMsPerRequest, entry.off.serverCpuMsPerRequest), rps: ratio(entry.on.rps, entry.off.rps) },
    };
  } finally {
    await trigger('ENABLE')();
  }
}
