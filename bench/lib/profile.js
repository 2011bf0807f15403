/** Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by module. */
import { readFileSync } from 'node:fs';
import { round } from './stats.js';

/**
 * The module a script URL belongs to: an npm package name, `node:internal`, the app's own file
 * (`dist/…`), or V8's pseudo-frames ((garbage collector), (program), (idle)).
 * @param {string} url
 * @param {string} functionName
 */
export function moduleOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const packages = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
  if (packages.length > 0) return packages.at(-1)[1];
  if (url.startsWith('node:')) {
    const segment = url.replace(/^node:(internal\/)?/, '').split('/')[0].replace(/^_/, '');
    return `node:${segment.startsWith('http') ? 'http' : segment.startsWith('stream') ? 'streams' : segment}`;
  }
  const dist = /\/dist\/(.+)$/.exec(url);
  if (dist) return `app: ${dist[1]}`;
  return url.replace(/^file:\/\//, '');
}

/**
 * @param {string} path a .cpuprofile file
 * @param {number} top how many entries per table
 * @param {number} [requests] requests served while profiling: adds µs per request to each entry
 * @param {[number, number]} [window] only the samples between these times (µs after the profile's start)
 */
export function summarizeProfile(path, top = 15, requests = 0, window = undefined) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  let totalMicros = profile.endTime - profile.startTime;
  const sampleCount = profile.samples?.length ?? 0;
  const microsPerSample = sampleCount > 0 ? totalMicros / sampleCount : 0;
  // Hits per node, from the samples inside the window (µs since the profile started) when given.
  const hitsOf = new Map();
  if (window) {
    let t = 0;
    profile.samples.forEach((id, i) => {
      t += profile.timeDeltas[i];
      if (t >= window[0] && t <= window[1]) hitsOf.set(id, (hitsOf.get(id) ?? 0) + 1);
    });
    totalMicros = window[1] - window[0];
  }
  const byFunction = new Map();
  const byModule = new Map();
  let busy = 0;
  for (const node of profile.nodes) {
    const hits = window ? (hitsOf.get(node.id) ?? 0) : (node.hitCount ?? 0);
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const module = moduleOf(url, name);
    if (name !== '(idle)') busy += hits;
    const key = `${name} ${module}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
    byModule.set(module, (byModule.get(module) ?? 0) + hits);
  }
  const table = (map) =>
    [...map.entries()]
      .filter(([key]) => !key.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => ({
        name,
        selfMs: round((hits * microsPerSample) / 1000, 1),
        percentOfBusy: round((100 * hits) / Math.max(busy, 1), 1),
        ...(requests > 0 ? { microsPerRequest: round((hits * microsPerSample) / requests, 1) } : {}),
      }));
  return {
    requests,
    busyMicrosPerRequest: requests > 0 ? round((busy * microsPerSample) / requests, 1) : null,
    durationSeconds: round(totalMicros / 1e6, 2),
    busySeconds: round((busy * microsPerSample) / 1e6, 2),
    topFunctions: table(byFunction),
    topModules: table(byModule),
  };
}
