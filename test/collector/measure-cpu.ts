/**
 * Manual measurement (not part of the suite): CPU of the reference collector, procfs vs core_bpf,
 * idle and under a fork+exec load, with a mock Sensor receiving the signals.
 *
 *   npx tsx test/collector/measure-cpu.ts [rate=200] [seconds=20]
 *
 * The load is a few lines of C (compiled here with gcc) that fork+execs /bin/true at the rate:
 * a Node spawner would cost more CPU than the collector being measured. CPU is read from
 * /proc/<pid>/stat of the collector and of its children (bpftrace), over the load window only.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDriverForSensor } from '../../src/collector/driver-files.js';
import { MockSensor } from '../../src/sensor/mock-sensor.js';
import { metric, startCollector } from './run-collector.js';

const rate = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 20);

const GEN_C = `#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
int main(int argc, char** argv) {
  double rate = atof(argv[1]), secs = atof(argv[2]);
  struct timespec t0, now; clock_gettime(CLOCK_MONOTONIC, &t0);
  long n = 0, total = (long)(rate * secs);
  while (n < total) {
    clock_gettime(CLOCK_MONOTONIC, &now);
    long due = (long)(((now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9) * rate);
    while (n < due && n < total) { if (fork() == 0) { execl("/bin/true", "true", "x1234567", (char*)0); _exit(127); } n++; }
    while (waitpid(-1, 0, WNOHANG) > 0) {}
    usleep(1000);
  }
  while (waitpid(-1, 0, 0) > 0) {}
  return 0;
}`;

function cpuTicks(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

function children(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'collector-measure-'));
  const gen = path.join(work, 'execgen');
  fs.writeFileSync(`${gen}.c`, GEN_C);
  execFileSync('gcc', ['-O2', '-o', gen, `${gen}.c`]);
  writeDriverForSensor(path.join(work, 'objects'), '1.0.0', os.release());
  const sensor = new MockSensor({ grpcPort: 0, httpPort: 0, objectsDir: path.join(work, 'objects') });
  const addr = await sensor.start();
  for (const method of ['procfs', 'core_bpf'] as const) {
    const rc = await startCollector({
      COLLECTION_METHOD: method,
      GRPC_SERVER: addr.grpc,
      REF_COLLECTOR_SENSOR_HTTP: addr.http!,
      REF_COLLECTOR_LOCAL_DRIVERS_DIR: '/nonexistent',
    });
    await new Promise((r) => setTimeout(r, 2000));
    const pids = [rc.child.pid!, ...children(rc.child.pid!)];
    const m0 = await rc.metrics();
    const c0 = pids.map(cpuTicks);
    const t0 = Date.now();
    await new Promise<void>((resolve) =>
      spawn(gen, [String(rate), String(seconds)], { stdio: 'ignore' }).on('exit', () => resolve()),
    );
    const el = (Date.now() - t0) / 1000;
    const c1 = pids.map(cpuTicks);
    const m1 = await rc.metrics();
    const pct = pids.map((_, i) => ((c1[i] - c0[i]) / 100 / el) * 100);
    const ev = (t: string) => metric(m1, 'rox_collector_events', t) - metric(m0, 'rox_collector_events', t);
    const ct = (t: string) => metric(m1, 'rox_collector_counters', t) - metric(m0, 'rox_collector_counters', t);
    console.log(
      `${method}: ${rate}/s for ${el.toFixed(1)} s -> collector node ${pct[0].toFixed(1)}% of a core` +
        (pct.length > 1
          ? `, bpftrace ${pct
              .slice(1)
              .reduce((a, b) => a + b, 0)
              .toFixed(1)}%`
          : '') +
        `; process events ${ct('process_events_seen')} of ${Math.round(rate * seconds)} execs, kernel ${ev('kernel')}, sent ${ev('processSent')}, drops ${ev('drops')}`,
    );
    await rc.stop();
  }
  await sensor.stop();
  fs.rmSync(work, { recursive: true, force: true });
}

void main();
