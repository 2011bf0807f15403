/**
 * The load generator, in its own process (forked by lib/load.js) so its CPU is never the server's:
 * a warm-up run, then, when the parent says go, the measured run. Latencies are recorded from each
 * response (fractional ms) and summarised here.
 */
import autocannon from 'autocannon';
import { Agent, request as httpRequest } from 'node:http';
import { nextRequest } from './requests.js';
import { summarizeLatencies } from './stats.js';

/**
 * A run at `job.rate` requests per second, spread evenly (autocannon's own rate limit sends each
 * second's quota in a burst, which measures the burst). Latency counts from when a request was
 * due, so a server that falls behind is charged for the wait (no coordinated omission). Warm-up and
 * measured run share `agent`: the measured run starts on open connections, not with handshakes.
 */
function paced(job, seconds, latencies, statuses, agent) {
  const { hostname, port } = new URL(job.origin);
  let sent = 0;
  let done = 0;
  let errors = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  return new Promise((resolve) => {
    const settle = () => {
      done += 1;
      if (done === sent && performance.now() >= end) resolve({ errors, timeouts: 0 });
    };
    const fire = (dueAt) => {
      sent += 1;
      const { method, path, headers, body } = nextRequest(job.scenario, job.actors);
      const request = httpRequest({ hostname, port, method, path, headers, agent, timeout: 10_000 }, (response) => {
        response.resume().on('end', () => {
          const status = response.statusCode ?? 0;
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status >= 200 && status < 300) latencies.push(performance.now() - dueAt);
          settle();
        });
      });
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', () => {
        errors += 1;
        settle();
      });
      request.end(body);
    };
    // Request i is due at i / rate, so by a time t (before the end) floor(t × rate) + 1 of them are:
    // counting floor(t × rate) would send each one interval after its due time and charge that to the server.
    const total = Math.floor(seconds * job.rate);
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - started) / 1000) * job.rate) + 1);
      while (sent < due) fire(started + (sent * 1000) / job.rate);
      if (now < end) setTimeout(tick, 1);
      else if (done === sent) resolve({ errors, timeouts: 0 });
    };
    tick();
  });
}

/** A closed loop of `job.connections` connections, as fast as the server answers. */
function saturated(job, seconds, latencies, statuses) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: job.origin, connections: job.connections, duration: seconds, timeout: 10, requests: [{ setupRequest: (request) => ({ ...request, ...nextRequest(job.scenario, job.actors) }) }] },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) latencies.push(responseTime);
    });
  });
}

process.once('message', (job) => {
  void (async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
    const run = (seconds, latencies, statuses) => (job.rate ? paced(job, seconds, latencies, statuses, agent) : saturated(job, seconds, latencies, statuses));
    if (job.warmup > 0) await run(job.warmup, [], {});
    process.send({ type: 'warm' });
    await new Promise((resolve) => process.once('message', resolve));
    const latencies = [];
    const statuses = {};
    const started = performance.now();
    const { errors, timeouts } = await run(job.duration, latencies, statuses);
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();
    const requests = Object.values(statuses).reduce((sum, count) => sum + count, 0);
    const ok = Object.entries(statuses).reduce((sum, [status, count]) => sum + (Number(status) >= 200 && Number(status) < 300 ? count : 0), 0);
    const result = { seconds, requests, rps: requests / seconds, latency: summarizeLatencies(latencies), non2xx: requests - ok, errors, timeouts, statuses };
    process.send({ type: 'result', result });
  })().catch((error) => process.send({ type: 'error', message: error instanceof Error ? error.stack : String(error) }));
});
