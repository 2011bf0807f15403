/**
 * Live events (issue 21): `streams` open GET /api/events streams on one API instance (`perUser`
 * per user), and creates at `writesPerSecond` spread round-robin over their users for `seconds`.
 * Latency = the event's arrival on a stream − the moment the POST's 201 was received, per stream
 * and write; lost = (stream, write) pairs never delivered within 15 s after the last write.
 */
import { hs256Tokens } from './auth.js';
import { memoryMiB, resetPeakRss } from './load.js';
import { round, summarizeLatencies } from './stats.js';

/** Reads `task.created` events off one stream, calling `onTask(id, at)` for each. */
async function readStream(response, onTask) {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: (.*)$/m.exec(block);
      if (data && block.includes('event: task.created')) onTask(JSON.parse(data[1]).id, performance.now());
    }
  }
}

/** @param {{ server: { origin: string, pid: number }, secret: string, streams: number, perUser: number, writesPerSecond: number, seconds: number, log: (m: string) => void }} options */
export async function measureEventDelivery({ server, secret, streams, perUser, writesPerSecond, seconds, log }) {
  const userIds = Array.from({ length: Math.ceil(streams / perUser) }, (_, i) => `bench-events-${String(i + 1).padStart(4, '0')}`);
  const tokens = await hs256Tokens(secret, userIds);
  /** task id → receive times, one per stream that delivered it */
  const received = new Map();
  const controller = new AbortController();
  const readers = [];
  const rssBefore = memoryMiB(server.pid).rss;
  resetPeakRss(server.pid);
  for (let i = 0; i < streams; i += 1) {
    const user = Math.floor(i / perUser);
    const response = await fetch(`${server.origin}/api/events`, { headers: { authorization: `Bearer ${tokens[user]}` }, signal: controller.signal });
    if (response.status !== 200) throw new Error(`stream ${i} refused: ${response.status} ${await response.text()}`);
    readers.push(
      readStream(response, (id, at) => {
        // An event may arrive before the POST's response has been read.
        const times = received.get(id);
        if (times) times.push(at);
        else received.set(id, [at]);
      }).catch(() => undefined),
    );
  }
  const rssStreamsOpen = memoryMiB(server.pid).rss;
  log(`events: ${streams} streams open (${userIds.length} users × ${perUser}); API RSS ${rssBefore} → ${rssStreamsOpen} MiB`);

  /** task id → the moment its create was acknowledged */
  const acknowledged = new Map();
  let failedWrites = 0;
  const acknowledgedIn = [];
  const writes = [];
  const total = writesPerSecond * seconds;
  const startedAt = performance.now();
  for (let n = 0; n < total; n += 1) {
    const due = startedAt + (n * 1000) / writesPerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const user = n % userIds.length;
    const sentAt = performance.now();
    writes.push(
      fetch(`${server.origin}/api/tasks`, { method: 'POST', headers: { authorization: `Bearer ${tokens[user]}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: `event ${n}` }) }).then(
        async (response) => {
          const at = performance.now();
          if (response.status !== 201) return void (failedWrites += 1);
          const { id } = await response.json();
          acknowledged.set(id, at);
          acknowledgedIn.push(at - sentAt);
        },
        () => void (failedWrites += 1),
      ),
    );
  }
  await Promise.all(writes);
  const writeSeconds = (performance.now() - startedAt) / 1000;
  const expected = acknowledged.size * perUser;
  const delivered = () => [...acknowledged.keys()].reduce((sum, id) => sum + Math.min(perUser, received.get(id)?.length ?? 0), 0);
  for (const deadline = performance.now() + 15_000; delivered() < expected && performance.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
  const memory = memoryMiB(server.pid);
  controller.abort();
  await Promise.all(readers);

  const latencies = [];
  let duplicates = 0;
  for (const [id, ackAt] of acknowledged) {
    const times = received.get(id) ?? [];
    duplicates += Math.max(0, times.length - perUser);
    for (const at of times.slice(0, perUser)) latencies.push(Math.max(0, at - ackAt));
  }
  const result = {
    streams, users: userIds.length, writesPerSecond, seconds, writes: acknowledged.size, failedWrites,
    deliveries: latencies.length, lost: expected - delivered(), duplicates,
    latencyMs: summarizeLatencies(latencies), writeLatencyMs: summarizeLatencies(acknowledgedIn), rssMiB: { before: rssBefore, streamsOpen: rssStreamsOpen, peak: memory.peak, end: memory.rss },
    achievedWritesPerSecond: round(acknowledged.size / writeSeconds, 1),
  };
  log(`events: ${result.writes} writes (${failedWrites} failed), ${result.deliveries} deliveries, ${result.lost} lost, ${duplicates} duplicated; latency p50 ${result.latencyMs.p50} / p99 ${result.latencyMs.p99} / max ${result.latencyMs.max} ms (writes answered in p50 ${result.writeLatencyMs.p50} / p99 ${result.writeLatencyMs.p99} ms); API peak RSS ${memory.peak} MiB`);
  return result;
}
