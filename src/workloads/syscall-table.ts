/**
 * Node cannot call syscall(2), so the `syscalls` workload maps each supported syscall to a cheap
 * Node call that makes that syscall once per call. Every entry below was checked on Node 20 /
 * x86_64 with `strace -f -c` over 1000 calls (test/workloads/syscall-table.test.ts re-checks
 * with strace when it is installed). Numbers are x86_64's; names work on any architecture.
 *
 * Where one Node call makes more than one syscall the extra ones are listed in `alsoMakes`:
 * - getpid: Node caches process.pid, and no Node API makes a bare getpid(2); process.kill(pid, 0)
 *   makes one getpid(2) and one kill(pid, 0) (a no-op signal), the closest there is.
 * - statx: libuv implements fstat/stat with statx(2) on this kernel, so "fstat" (5) is not offered.
 * - openat: a file that is opened must be closed, so each call also makes one close(2).
 */
import fs from 'node:fs';
import os from 'node:os';

export interface SyscallEntry {
  name: string;
  /** x86_64 number, as berserker's `syscall_nr`. */
  nr: number;
  /** What the Node call is, for docs and logs. */
  via: string;
  /** Other syscalls the same Node call makes, one each. */
  alsoMakes: string[];
  /** Opens what it needs (once) and returns the call plus a cleanup. */
  prepare(): { call: () => void; close: () => void };
}

const noop = () => undefined;

function withFd(
  path: string,
  flags: string,
  make: (fd: number) => () => void,
): { call: () => void; close: () => void } {
  const fd = fs.openSync(path, flags);
  return { call: make(fd), close: () => fs.closeSync(fd) };
}

function withTempFile(make: (path: string, fd: number) => () => void): { call: () => void; close: () => void } {
  const dir = fs.mkdtempSync(`${os.tmpdir()}/berserker-syscalls-`);
  const path = `${dir}/target`;
  const fd = fs.openSync(path, 'w');
  return {
    call: make(path, fd),
    close: () => {
      fs.closeSync(fd);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const one = Buffer.alloc(1);

export const SYSCALL_TABLE: SyscallEntry[] = [
  {
    name: 'read',
    nr: 0,
    via: 'fs.readSync(/dev/zero fd, 1 byte)',
    alsoMakes: [],
    prepare: () => withFd('/dev/zero', 'r', (fd) => () => fs.readSync(fd, one, 0, 1, null)),
  },
  {
    name: 'write',
    nr: 1,
    via: 'fs.writeSync(/dev/null fd, 1 byte)',
    alsoMakes: [],
    prepare: () => withFd('/dev/null', 'w', (fd) => () => fs.writeSync(fd, one, 0, 1, null)),
  },
  {
    name: 'pread64',
    nr: 17,
    via: 'fs.readSync(/dev/zero fd, 1 byte, position 0)',
    alsoMakes: [],
    prepare: () => withFd('/dev/zero', 'r', (fd) => () => fs.readSync(fd, one, 0, 1, 0)),
  },
  {
    name: 'access',
    nr: 21,
    via: "fs.accessSync('/')",
    alsoMakes: [],
    prepare: () => ({ call: () => fs.accessSync('/'), close: noop }),
  },
  {
    name: 'getpid',
    nr: 39,
    via: 'process.kill(process.pid, 0)',
    alsoMakes: ['kill'],
    prepare: () => ({ call: () => process.kill(process.pid, 0), close: noop }),
  },
  {
    name: 'kill',
    nr: 62,
    via: 'process.kill(process.pid, 0)',
    alsoMakes: ['getpid'],
    prepare: () => ({ call: () => process.kill(process.pid, 0), close: noop }),
  },
  {
    name: 'uname',
    nr: 63,
    via: 'os.hostname()',
    alsoMakes: [],
    prepare: () => ({ call: () => void os.hostname(), close: noop }),
  },
  {
    name: 'readlink',
    nr: 89,
    via: "fs.readlinkSync('/proc/self/exe')",
    alsoMakes: [],
    prepare: () => ({ call: () => void fs.readlinkSync('/proc/self/exe'), close: noop }),
  },
  {
    name: 'chmod',
    nr: 90,
    via: 'fs.chmodSync(<temp file>, 0o644)',
    alsoMakes: [],
    prepare: () => withTempFile((path) => () => fs.chmodSync(path, 0o644)),
  },
  {
    name: 'fchmod',
    nr: 91,
    via: 'fs.fchmodSync(<temp file fd>, 0o644)',
    alsoMakes: [],
    prepare: () => withTempFile((_p, fd) => () => fs.fchmodSync(fd, 0o644)),
  },
  {
    name: 'umask',
    nr: 95,
    via: 'process.umask(<current mask>)',
    alsoMakes: [],
    prepare: () => {
      const mask = process.umask(0o022);
      process.umask(mask);
      return { call: () => void process.umask(mask), close: noop };
    },
  },
  {
    name: 'getrusage',
    nr: 98,
    via: 'process.cpuUsage()',
    alsoMakes: [],
    prepare: () => ({ call: () => void process.cpuUsage(), close: noop }),
  },
  {
    name: 'getuid',
    nr: 102,
    via: 'process.getuid()',
    alsoMakes: [],
    prepare: () => ({ call: () => void process.getuid!(), close: noop }),
  },
  {
    name: 'getgid',
    nr: 104,
    via: 'process.getgid()',
    alsoMakes: [],
    prepare: () => ({ call: () => void process.getgid!(), close: noop }),
  },
  {
    name: 'geteuid',
    nr: 107,
    via: 'process.geteuid()',
    alsoMakes: [],
    prepare: () => ({ call: () => void process.geteuid!(), close: noop }),
  },
  {
    name: 'getegid',
    nr: 108,
    via: 'process.getegid()',
    alsoMakes: [],
    prepare: () => ({ call: () => void process.getegid!(), close: noop }),
  },
  {
    name: 'getppid',
    nr: 110,
    via: 'process.ppid',
    alsoMakes: [],
    prepare: () => ({ call: () => void process.ppid, close: noop }),
  },
  {
    name: 'getpriority',
    nr: 140,
    via: 'os.getPriority()',
    alsoMakes: [],
    prepare: () => ({ call: () => void os.getPriority(), close: noop }),
  },
  {
    name: 'openat',
    nr: 257,
    via: "fs.closeSync(fs.openSync('/dev/null', 'r'))",
    alsoMakes: ['close'],
    prepare: () => ({ call: () => fs.closeSync(fs.openSync('/dev/null', 'r')), close: noop }),
  },
  {
    name: 'statx',
    nr: 332,
    via: 'fs.fstatSync(/dev/null fd)',
    alsoMakes: [],
    prepare: () => withFd('/dev/null', 'r', (fd) => () => void fs.fstatSync(fd)),
  },
];

/** Finds a syscall by x86_64 number or by name; undefined when it is not supported. */
export function findSyscall(nrOrName: number | string): SyscallEntry | undefined {
  return typeof nrOrName === 'number'
    ? SYSCALL_TABLE.find((e) => e.nr === nrOrName)
    : SYSCALL_TABLE.find((e) => e.name === nrOrName.toLowerCase());
}

/** "getpid (39), kill (62), ..." for error messages. */
export function supportedSyscalls(): string {
  return SYSCALL_TABLE.map((e) => `${e.name} (${e.nr})`).join(', ');
}
