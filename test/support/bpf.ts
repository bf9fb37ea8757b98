/** Whether the tests that need real BPF can run here. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BPF_STATS_SYSCTL } from '../../src/sampling/bpf-stats.js';

const REPO = join(import.meta.dirname, '../..');

/** Root, bpftrace, tracefs (mounted here when it is not) and kernel.bpf_stats_enabled: bpftrace attaches and its programs can be priced. */
export function bpftraceWorks(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync(process.execPath, [join(REPO, 'scripts/ensure-tracefs.mjs')], { stdio: 'ignore' });
    execFileSync('bpftrace', ['--version'], { stdio: 'ignore' });
    return existsSync('/sys/kernel/tracing/events/sched/sched_process_exec') && existsSync(BPF_STATS_SYSCTL);
  } catch {
    return false;
  }
}
