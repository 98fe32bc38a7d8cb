// The host part of meta.json's environment: OS, CPUs, memory, Node, GPUs (nvidia-smi when present).
import { execFile } from 'node:child_process';
import { arch, cpus, hostname, platform, release, totalmem } from 'node:os';
import { TOOL_NAME, TOOL_VERSION } from '../version';
import { captureGit } from './git';
import type { Environment, EndpointInfo } from '../types';

export interface GpuSample { name: string; memoryTotalMb?: number; memoryUsedMb?: number; utilizationPct?: number; temperatureC?: number; powerW?: number; smClockMhz?: number; driver?: string }

const QUERY = 'name,memory.total,memory.used,utilization.gpu,temperature.gpu,power.draw,clocks.sm,driver_version';

/** Parse `nvidia-smi --query-gpu=… --format=csv,noheader,nounits` output; "[N/A]" fields are left out. */
export function parseNvidiaSmi(text: string): GpuSample[] {
  const num = (s: string | undefined): number | undefined => {
    const v = Number(s);
    return s !== undefined && s.trim() !== '' && Number.isFinite(v) ? v : undefined;
  };
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => {
      const [name, total, used, util, temp, power, clock, driver] = l.split(',').map((s) => s.trim());
      const g: GpuSample = { name };
      const set = (k: keyof GpuSample, v: number | undefined): void => {
        if (v !== undefined) (g as unknown as Record<string, unknown>)[k] = v;
      };
      set('memoryTotalMb', num(total));
      set('memoryUsedMb', num(used));
      set('utilizationPct', num(util));
      set('temperatureC', num(temp));
      set('powerW', num(power));
      set('smClockMhz', num(clock));
      if (driver) g.driver = driver;
      return g;
    });
}

/** One nvidia-smi sample; [] when the binary is absent or fails (no GPU is not an error). */
export function sampleGpus(timeoutMs = 3000): Promise<GpuSample[]> {
  return new Promise((resolve) => {
    execFile('nvidia-smi', [`--query-gpu=${QUERY}`, '--format=csv,noheader,nounits'], { timeout: timeoutMs }, (err, stdout) => {
      resolve(err ? [] : parseNvidiaSmi(stdout));
    });
  });
}

/** The environment of a run; `workspaceDir` adds environment.git when it is inside a git work tree. */
export async function captureEnvironment(endpoints: EndpointInfo[], workspaceDir?: string): Promise<Environment> {
  const cpuList = cpus();
  const [gpus, git] = await Promise.all([sampleGpus(), workspaceDir === undefined ? null : captureGit(workspaceDir)]);
  return {
    endpoints,
    host: {
      os: `${platform()} ${release()}`,
      arch: arch(),
      cpus: cpuList.length,
      ...(cpuList[0]?.model ? { cpuModel: cpuList[0].model.trim() } : {}),
      memoryBytes: totalmem(),
      node: process.version,
      hostname: hostname(),
    },
    gpus: gpus.map((g) => ({ name: g.name, ...(g.memoryTotalMb !== undefined ? { memoryTotalMb: g.memoryTotalMb } : {}), ...(g.driver ? { driver: g.driver } : {}) })),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    ...(git ? { git } : {}),
  };
}
