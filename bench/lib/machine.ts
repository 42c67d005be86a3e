import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { median } from './stats';
import { serverSettings, serverVersion } from './pg-admin';

export interface MachineInfo {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly node: string;
  readonly postgres: string;
  readonly postgresSettings: Record<string, string>;
}

export async function machineInfo(): Promise<MachineInfo> {
  const version = await serverVersion();
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres: version.split(' on ')[0]!,
    postgresSettings: await serverSettings([
      'shared_buffers',
      'synchronous_commit',
      'fsync',
      'wal_sync_method',
      'max_connections',
      'work_mem',
      'jit',
    ]),
  };
}

export function describeMachine(info: MachineInfo): string {
  const settings = Object.entries(info.postgresSettings)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  return `machine: ${info.nproc} CPUs (${info.cpuModel}), ${info.memoryGb} GB RAM; Node ${info.node}; ${info.postgres} on the same host (${settings})`;
}

function cpuTimes(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const values = line!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

/**
 * Samples the load average and the machine's CPU use while a benchmark runs: other engineers' tests share the
 * 2 cores, and the figures mean little without the load they ran under.
 */
export class LoadSampler {
  private readonly loads: number[] = [];
  private readonly busy: number[] = [];
  private timer?: NodeJS.Timeout;
  private last = cpuTimes();

  start(intervalMs = 2000): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    return this;
  }

  private sample(): void {
    this.loads.push(loadavg()[0]!);
    const now = cpuTimes();
    if (now.total > this.last.total) this.busy.push((now.busy - this.last.busy) / (now.total - this.last.total));
    this.last = now;
  }

  stop(): LoadFigures {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return {
      loadMedian: median(this.loads),
      loadMax: Math.max(...this.loads),
      cpuBusyMedian: median(this.busy),
    };
  }
}

export interface LoadFigures {
  /** 1-minute load average: median and max of the samples. */
  readonly loadMedian: number;
  readonly loadMax: number;
  /** Share of the machine's CPU time in use (all processes, ours included). */
  readonly cpuBusyMedian: number;
}

export function describeLoad(figures: LoadFigures): string {
  return `load during the run: 1-min load average median ${figures.loadMedian.toFixed(2)} (max ${figures.loadMax.toFixed(2)}), machine CPU busy median ${(figures.cpuBusyMedian * 100).toFixed(0)}% (ours included)`;
}

/** Load before a benchmark starts: what others put on the machine. */
export function loadNow(): string {
  const [one, five] = loadavg();
  return `load average before: ${one!.toFixed(2)} (1 min), ${five!.toFixed(2)} (5 min)`;
}
