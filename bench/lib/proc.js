/** Readings from /proc (Linux): a process's CPU time and memory. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicks;

/** USER_HZ, the unit of utime/stime in /proc/<pid>/stat (almost always 100). */
export function clockTicksPerSecond() {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/**
 * The fields of /proc/<pid>/stat after the parenthesised command name (which may hold spaces),
 * so that index 0 is field 3 (state).
 * @param {string} stat
 */
export function statFields(stat) {
  return stat.slice(stat.lastIndexOf(')') + 2).trim().split(' ');
}

/**
 * CPU seconds (user + system) the process has used so far, all its threads included; undefined
 * when it is gone.
 * @param {number} pid
 * @returns {number | undefined}
 */
export function cpuSeconds(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = statFields(stat);
  // utime and stime are fields 14 and 15 of stat(5): indexes 11 and 12 here.
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond();
}

/**
 * VmRSS and VmHWM (peak RSS) in MiB, or undefined when the process is gone.
 * @param {number} pid
 * @returns {{ rssMiB: number, peakRssMiB: number } | undefined}
 */
export function memory(pid) {
  let status;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}

/**
 * Samples a process's RSS every `intervalMs` until stopped; VmHWM gives the true peak, the samples
 * show the level under load.
 * @param {number} pid
 * @param {number} intervalMs
 */
export function startRssSampler(pid, intervalMs = 500) {
  let maxRssMiB = 0;
  const sample = () => {
    const reading = memory(pid);
    if (reading && reading.rssMiB > maxRssMiB) maxRssMiB = reading.rssMiB;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { maxSampledRssMiB: maxRssMiB, ...memory(pid) };
    },
  };
}

/** Total CPU seconds of a set of processes (missing ones count 0). @param {number[]} pids */
export function totalCpuSeconds(pids) {
  return pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
}
