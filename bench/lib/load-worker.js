/**
 * The load generator, in its own process (forked by lib/load.js) so that its CPU is never the
 * server's: autocannon, a warm-up run, then — when the parent says go — the measured run.
 * Latencies are recorded here from autocannon's response events (exact, in fractional ms) and
 * summarised before being sent back.
 */
import autocannon from 'autocannon';
import { Agent, request as httpRequest } from 'node:http';
import { nextRequest } from './requests.js';
import { summarizeLatencies } from './stats.js';

/**
 * A paced run at `job.rate` requests per second, spread evenly over time (autocannon's own rate
 * limit sends each second's quota in a burst, which measures the burst rather than the server).
 * Latency counts from the moment a request was due, so a server that falls behind is charged for
 * the wait (no coordinated omission). The warm-up and the measured run share `agent`, so the
 * measured run starts on the warm-up's open connections rather than with a burst of handshakes.
 * @param {any} job @param {number} seconds @param {boolean} record @param {Agent} agent
 */
function paced(job, seconds, record, agent) {
  const { hostname, port } = new URL(job.origin);
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let sent = 0;
  let done = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  return new Promise((resolve) => {
    const finish = () => {
      const ok = Object.entries(statuses).reduce((sum, [status, count]) => sum + (status >= 200 && status < 300 ? count : 0), 0);
      resolve({ result: { '2xx': ok, non2xx: done - errors - ok, errors, timeouts: 0, mismatches: 0 }, latencies, statuses });
    };
    const fire = (dueAt) => {
      sent += 1;
      const { method, path, headers, body } = nextRequest(job.scenario, job.actors);
      const req = httpRequest({ hostname, port, method, path, headers, agent, timeout: 10_000 }, (response) => {
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (record && status >= 200 && status < 300) latencies.push(performance.now() - dueAt);
          done += 1;
          if (done === sent && performance.now() >= end) finish();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors += 1;
        done += 1;
        if (done === sent && performance.now() >= end) finish();
      });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      const due = Math.min(Math.floor(((Math.min(now, end) - started) / 1000) * job.rate), Math.floor(seconds * job.rate));
      while (sent < due) fire(started + (sent * 1000) / job.rate);
      if (now < end) setTimeout(tick, 1);
      else if (done === sent) finish();
    };
    tick();
  });
}

/** @param {any} job @param {number} seconds @param {boolean} record @param {Agent} agent */
function run(job, seconds, record, agent) {
  if (job.rate) return paced(job, seconds, record, agent);
  const latencies = [];
  const statuses = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.origin,
        connections: job.connections,
        duration: seconds,
        timeout: 10,
        requests: [{ setupRequest: (request) => ({ ...request, ...nextRequest(job.scenario, job.actors) }) }],
      },
      (error, result) => (error ? reject(error) : resolve({ result, latencies, statuses })),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (record && statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

process.once('message', (job) => {
  void (async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
    if (job.warmup > 0) await run(job, job.warmup, false, agent);
    process.send({ type: 'warm' });
    await new Promise((resolve) => process.once('message', resolve));
    const started = process.hrtime.bigint();
    const { result, latencies, statuses } = await run(job, job.duration, true, agent);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    agent.destroy();
    const completed = Object.values(statuses).reduce((sum, count) => sum + count, 0);
    process.send({
      type: 'result',
      result: {
        seconds,
        requests: completed,
        ok: result['2xx'],
        rps: completed / seconds,
        latency: summarizeLatencies(latencies),
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        statuses,
        mismatches: result.mismatches,
      },
    });
  })().catch((error) => {
    process.send({ type: 'error', message: error instanceof Error ? error.stack : String(error) });
  });
});
