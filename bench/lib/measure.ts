import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Process CPU and memory from /proc, and the statistics the report uses. */

let clkTck: number | undefined;
function clockTicks(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
    } catch {
      clkTck = 0;
    }
    clkTck ||= 100;
  }
  return clkTck;
}

/** utime + stime of a process (all its threads), in ms, from /proc/<pid>/stat. */
export function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
}

/** Resident set size of a process in bytes, from /proc/<pid>/status. */
export function procRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

/**
 * CPU of the local engine: FerretDB and every PostgreSQL process started from
 * its directory. NaN when the engine is not the local one.
 */
export class EngineCpu {
  readonly dir = resolve(
    process.env.ENGINE_DIR ??
      join(
        process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
        'conversation-service',
        'engine',
      ),
  );
  readonly enabled: boolean;

  constructor(local: boolean) {
    this.enabled = local && existsSync(this.dir);
  }

  ms(): number {
    if (!this.enabled) return NaN;
    let total = 0;
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const exe = readlinkSync(`/proc/${name}/exe`);
        if (exe.startsWith(this.dir + '/')) total += procCpuMs(Number(name));
      } catch {
        // gone, or not ours to read
      }
    }
    return total;
  }
}

/** Sorted-array percentile (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  samples: number;
}

/** Percentiles of the first `count` values. */
export function latencySummary(
  values: Float64Array,
  count: number,
): LatencySummary {
  const sorted = Float64Array.from(values.subarray(0, count)).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const n = sorted.length;
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: n ? sorted[n - 1] : NaN,
    mean: n ? sum / n : NaN,
    samples: n,
  };
}

/** Latencies of one window, kept up to a bound. */
export class LatencyRecorder {
  private readonly values: Float64Array;
  count = 0;

  constructor(capacity = 2_000_000) {
    this.values = new Float64Array(capacity);
  }

  add(ms: number): void {
    if (this.count < this.values.length) this.values[this.count] = ms;
    this.count++;
  }

  summary(): LatencySummary {
    return latencySummary(
      this.values,
      Math.min(this.count, this.values.length),
    );
  }
}

export function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function minimum(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x));
  return s.length ? Math.min(...s) : NaN;
}

export const sleep = (ms: number) =>
  new Promise<void>((r) => setTimeout(r, ms));
