/**
 * Which binary the `processes` workload execs. It must be tiny and static: a bare `node -e 0`
 * costs ~80 ms of CPU here, so node is never the stub. In priority:
 *  1. `BERSERKER_STUB` (env): a path to any executable; argv = [<7 random chars>], as berserker's `stub`.
 *  2. busybox-static (Debian `busybox-static`): argv = ['true', <7 random chars>]; busybox picks the
 *     applet from argv[1] because argv[0]'s basename is "busybox".
 * `buildStub()` compiles `stub/stub.c` (exit(0), no libc, ~9 KB) with gcc for images that want the
 * cheapest exec; point BERSERKER_STUB at the result.
 * For random_process = false a child must stay alive for its lifetime: busybox `sleep <s>`.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { RuntimeError } from '../errors.js';

export interface ExecStub {
  path: string;
  /** Arguments placed before the random argument. */
  prefix: string[];
  source: 'BERSERKER_STUB' | 'busybox';
}

const BUSYBOX_PATHS = ['/bin/busybox', '/usr/bin/busybox'];

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    // root passes X_OK on a directory or on a file with any x bit; exec needs a regular file.
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export function findBusybox(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.BERSERKER_BUSYBOX ? [env.BERSERKER_BUSYBOX] : BUSYBOX_PATHS;
  const found = candidates.find(isExecutable);
  if (!found) {
    throw new RuntimeError(
      `no busybox found at ${candidates.join(' or ')}: install busybox-static (apt-get install busybox-static) or set BERSERKER_BUSYBOX`,
      { candidates },
    );
  }
  return found;
}

/** The stub for random_process = true. */
export function resolveExecStub(env: NodeJS.ProcessEnv = process.env): ExecStub {
  const custom = env.BERSERKER_STUB;
  if (custom) {
    if (!isExecutable(custom)) {
      throw new RuntimeError(`BERSERKER_STUB=${custom} is not an executable file`, { path: custom });
    }
    return { path: custom, prefix: [], source: 'BERSERKER_STUB' };
  }
  return { path: findBusybox(env), prefix: ['true'], source: 'busybox' };
}

/** Path of the C source of the no-libc stub shipped with the package. */
export function stubSourcePath(): string {
  return fileURLToPath(new URL('./stub/stub.c', import.meta.url));
}

/** Compiles the no-libc stub to `outPath` (needs gcc); the benchmark's per-run exec stub (run/delivery/workload-stub.ts). */
export async function buildStub(outPath: string, cc = 'gcc'): Promise<string> {
  try {
    await promisify(execFile)(cc, ['-static', '-nostdlib', '-Os', '-s', '-o', outPath, stubSourcePath()], {
      timeout: 30_000,
    });
  } catch (e) {
    throw new RuntimeError(
      `could not compile the exec stub with ${cc}: ${(e as Error).message}`,
      { outPath },
      { cause: e },
    );
  }
  return outPath;
}
