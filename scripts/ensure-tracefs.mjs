#!/usr/bin/env node
// bpftrace needs tracefs (tracepoints) and debugfs; mount them where the host has not. Harmless
// when they are mounted already or when the kernel offers neither (bpftrace then reports why).
import { $, fs } from 'zx';

$.verbose = false;
for (const [type, dir] of [
  ['tracefs', '/sys/kernel/tracing'],
  ['debugfs', '/sys/kernel/debug'],
]) {
  if (!fs.existsSync(dir)) continue;
  if ((await $`mountpoint -q ${dir}`.nothrow()).exitCode === 0) continue;
  await $`mount -t ${type} nodev ${dir}`.nothrow();
}
