// The machine a benchmark ran on: results are only comparable with this next to them.
import { cpus, freemem, loadavg, totalmem, hostname, release } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  freeMemoryBytesAtStart: number;
  node: string;
  os: string;
  hostname: string;
  loadAvgStart: number[];
  loadAvgEnd: number[] | null;
}

export function loadNow(): number[] {
  return loadavg().map((x) => Math.round(x * 100) / 100);
}

export function describeMachine(): MachineInfo {
  const c = cpus();
  return {
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryBytes: totalmem(),
    freeMemoryBytesAtStart: freemem(),
    node: process.version,
    os: `${process.platform} ${release()} ${process.arch}`,
    hostname: hostname(),
    loadAvgStart: loadNow(),
    loadAvgEnd: null,
  };
}
