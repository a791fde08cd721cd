// What a library row's expectations were verified on, and how this machine differs. Libraries pick their kernels by
// version and by CPU features (oneDNN, XNNPACK, MKL dispatch on AVX-512, AVX512-FP16, AMX...), so the same row can
// behave differently on another CPU; such a difference is a finding about that platform, not a harness regression.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { createRequire } from 'node:module';
import { projectPath } from './paths.js';

/** The CPU features that select kernels in the libraries the matrix runs (x86 names as /proc/cpuinfo spells them). */
export const KERNEL_FEATURES = [
  'sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx_vnni', 'avx512f', 'avx512dq', 'avx512bw', 'avx512vl', 'avx512_vnni',
  'avx512_bf16', 'avx512_fp16', 'amx_tile', 'amx_bf16', 'amx_int8', 'amx_fp16', 'asimd', 'sve', 'sve2',
] as const;

export interface PlatformRecord {
  /** library versions by the manifest's `requires` names */
  versions: Record<string, string>;
  cpu: { model: string; features: string[] };
}

/** This machine's CPU model and the kernel-selecting features it has. */
export function currentCpu(cpuinfo = safeRead('/proc/cpuinfo')): PlatformRecord['cpu'] {
  const model = /^(?:model name|Model|CPU part)\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
  const flags = new Set((/^(?:flags|Features)\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? '').split(/\s+/));
  return { model, features: KERNEL_FEATURES.filter((f) => flags.has(f)) };
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

// Python: versions from installed distributions' metadata, without importing the (slow) libraries themselves.
const VERSION_PROBE = `
import importlib.metadata as m, json, sys
dists = m.packages_distributions()
out = {}
for name in sys.argv[1:]:
    try:
        out[name] = m.version(dists.get(name, [name])[0])
    except Exception:
        out[name] = None
print(json.dumps(out))
`;

/**
 * A package's package.json. Where its exports map does not export ./package.json (onnxruntime-web), it is looked up
 * in the node_modules folders Node would search.
 */
function packageJsonOf(require: NodeJS.Require, name: string): string | undefined {
  try {
    return require.resolve(`${name}/package.json`);
  } catch {
    return (require.resolve.paths(name) ?? []).map((dir) => join(dir, name, 'package.json')).find((f) => existsSync(f));
  }
}

/** Installed versions of the required modules (null where not found). */
export async function libraryVersions(language: 'python' | 'javascript', modules: string[], python: string): Promise<Record<string, string | null>> {
  if (modules.length === 0) return {};
  if (language === 'javascript') {
    const require = createRequire(projectPath('package.json'));
    return Object.fromEntries(modules.map((name) => {
      const file = packageJsonOf(require, name);
      try {
        return [name, file ? String(JSON.parse(readFileSync(file, 'utf8')).version) : null];
      } catch {
        return [name, null];
      }
    }));
  }
  const r = await execa(python, ['-c', VERSION_PROBE, ...modules], { reject: false, timeout: 30_000 });
  try {
    return JSON.parse(r.stdout) as Record<string, string | null>;
  } catch {
    return Object.fromEntries(modules.map((name) => [name, null]));
  }
}

/** How the current platform differs from the verified one, in words; empty when it is the same. */
export function platformDifferences(verified: PlatformRecord, current: { versions: Record<string, string | null>; cpu: PlatformRecord['cpu'] }): string[] {
  const out: string[] = [];
  for (const [name, version] of Object.entries(verified.versions)) {
    const now = current.versions[name];
    if (now !== version) out.push(`${name} ${now ?? '(version unknown)'} (verified with ${version})`);
  }
  const had = new Set(verified.cpu.features);
  const has = new Set(current.cpu.features);
  const added = current.cpu.features.filter((f) => !had.has(f));
  const missing = verified.cpu.features.filter((f) => !has.has(f));
  if (added.length || missing.length) {
    const parts = [added.length ? `has ${added.join(', ')}` : '', missing.length ? `lacks ${missing.join(', ')}` : ''].filter(Boolean);
    out.push(`this CPU (${current.cpu.model}) ${parts.join(' and ')}, unlike the verified one (${verified.cpu.model})`);
  }
  return out;
}
