// The CPU architecture the Fargate tasks run on: the infra template's CpuArchitecture parameter (which feeds the task
// definition's RuntimePlatform), the platform the image is built for, and the platforms a prebuilt --image holds.
// The three must agree: an image of another architecture starts, dies with "exec format error", and the circuit
// breaker rolls the deployment back after a few minutes.
import { UsageError } from '../core/errors.ts';
import { shown } from './shown.ts';
import { US_EAST_1 } from './price-tables.ts';

/** RuntimePlatform.CpuArchitecture's values on Fargate (the template's AllowedValues). */
export const CPU_ARCHITECTURES = ['X86_64', 'ARM64'] as const;
export type CpuArchitecture = (typeof CPU_ARCHITECTURES)[number];

/** How --arch spells it (and the equivalent command writes it). */
export const archFlagValue = (a: CpuArchitecture): string => a.toLowerCase();

/**
 * The architecture Fargate runs that needs no emulation to build on this machine, from Node's `process.arch`
 * (x64 → X86_64, arm64 → ARM64); undefined for any other (ia32, arm, s390x, …), which Fargate does not run.
 */
export function hostArchitecture(nodeArch: string): CpuArchitecture | undefined {
  return nodeArch === 'x64' ? 'X86_64' : nodeArch === 'arm64' ? 'ARM64' : undefined;
}

/** What people often type for one of them, named in the refusal (never accepted silently: one spelling per value). */
const OTHER_NAMES: Record<string, string> = { amd64: 'x86_64', x64: 'x86_64', 'x86-64': 'x86_64', aarch64: 'arm64', arm64v8: 'arm64' };

/** `--arch`: x86_64 or arm64, in any case. */
export function parseArchitecture(raw: string, flag = '--arch'): CpuArchitecture {
  const found = CPU_ARCHITECTURES.find((a) => a.toLowerCase() === raw.toLowerCase());
  if (found) return found;
  const meant = OTHER_NAMES[raw.toLowerCase()];
  throw new UsageError('BAD_INPUT', `${flag} ${shown(raw)} is not a CPU architecture Fargate runs: give x86_64 or arm64${meant ? ` (for ${shown(raw)}, --arch ${meant})` : ''}.`, {
    hint: 'x86_64 (Intel/AMD) or arm64 (Graviton, about 20 % cheaper on Fargate); the default is this machine\'s own, which builds without emulation.',
  });
}

/** The `docker build --platform` of an architecture. */
export const dockerPlatform = (a: CpuArchitecture): string => (a === 'ARM64' ? 'linux/arm64' : 'linux/amd64');

/** An image's platform, as an OCI image index or an image config names it (GOOS/GOARCH spellings). */
export interface ImagePlatform {
  os: string;
  architecture: string;
  variant?: string;
}

export const platformName = (p: ImagePlatform): string => [p.os, p.architecture, p.variant].filter(Boolean).join('/');

/**
 * Whether Fargate on Linux with this CpuArchitecture runs an image of this platform: linux/amd64 for X86_64;
 * linux/arm64 (variant v8, or none) for ARM64, Graviton being ARMv8.
 */
export function runsOn(p: ImagePlatform, a: CpuArchitecture): boolean {
  if (p.os !== 'linux') return false;
  if (a === 'X86_64') return p.architecture === 'amd64';
  return p.architecture === 'arm64' && (p.variant === undefined || p.variant === '' || p.variant === 'v8');
}

/** The Fargate architectures an image with these platforms runs on. */
export const architecturesOf = (platforms: readonly ImagePlatform[]): CpuArchitecture[] => CPU_ARCHITECTURES.filter((a) => platforms.some((p) => runsOn(p, a)));

// The prices are the bundled us-east-1 table's (cli/domain/price-tables.ts, where each is sourced): one table, so the
// wizard's per-architecture figure and the cost estimate cannot drift apart.
/** One task of the template's size (256 CPU units = 0.25 vCPU, 512 MiB = 0.5 GB) for a month of 730 hours. */
export function fargateMonthly(a: CpuArchitecture, vcpu = 0.25, gb = 0.5, hours = 730): number {
  const t = US_EAST_1.prices;
  const [cpu, mem] = a === 'ARM64' ? [t.fargateVcpuHourArm, t.fargateGbHourArm] : [t.fargateVcpuHourX86, t.fargateGbHourX86];
  return (vcpu * cpu.usd + gb * mem.usd) * hours;
}
