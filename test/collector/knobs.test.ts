import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { metric, startCollector, type RunningCollector } from './run-collector.js';

const TICKS_PER_S = 100; // USER_HZ on Linux

function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised comm; utime and stime are fields 14 and 15.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS_PER_S;
}

function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

/** 150 short-lived processes in batches, each alive for several polls so both collectors see it. */
async function processBurst(): Promise<void> {
  const exits: Array<Promise<unknown>> = [];
  for (let batch = 0; batch < 15; batch++) {
    for (let i = 0; i < 10; i++) {
      const c = spawn('sleep', ['1'], { stdio: 'ignore' });
      exits.push(new Promise((r) => c.once('exit', r)));
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.all(exits);
  await new Promise((r) => setTimeout(r, 1000)); // let the last polls land
}

describe('load knobs (REF_COLLECTOR_WORK_FACTOR, REF_COLLECTOR_RETAIN_BYTES_PER_EVENT)', () => {
  const started: RunningCollector[] = [];
  afterAll(async () => {
    await Promise.all(started.map((rc) => rc.stop('SIGKILL')));
  });

  it('raise CPU time and RSS relative to a plain collector watching the same processes', async () => {
    // Network scraping off: other processes' sockets on this shared machine are not ours to count.
    const env = {
      COLLECTION_METHOD: 'procfs',
      REF_COLLECTOR_SENSOR: 'off',
      REF_COLLECTOR_POLL_MS: '100',
      REF_COLLECTOR_SCRAPE_NETWORK: 'false',
    };
    const MiB = 1024 * 1024;
    const PER_EVENT = MiB / 4;
    const CAP = 1024 * MiB;
    // Both run at once against the same burst: a paired comparison, immune to machine-wide drift.
    const [plain, loaded] = await Promise.all([
      startCollector(env),
      startCollector({
        ...env,
        REF_COLLECTOR_WORK_FACTOR: '600',
        REF_COLLECTOR_RETAIN_BYTES_PER_EVENT: String(PER_EVENT),
        REF_COLLECTOR_RETAIN_MAX_BYTES: String(CAP),
      }),
    ]);
    started.push(plain, loaded);
    const pids = [plain.child.pid!, loaded.child.pid!];
    const cpu0 = pids.map(cpuSeconds);
    const rss0 = pids.map(rssBytes);
    // The first network scrape already produced events (and retained buffers) before this point.
    const retained0 = metric(await loaded.metrics(), 'rox_collector_counters', 'retained_bytes');

    await processBurst();

    const cpu = pids.map((p, i) => cpuSeconds(p) - cpu0[i]);
    const rssGrowth = pids.map((p, i) => rssBytes(p) - rss0[i]);
    const [mPlain, mLoaded] = await Promise.all([plain.metrics(), loaded.metrics()]);
    const seenPlain = metric(mPlain, 'rox_collector_counters', 'process_events_seen');
    const seenLoaded = metric(mLoaded, 'rox_collector_counters', 'process_events_seen');
    console.info(
      `knobs: cpu plain ${cpu[0].toFixed(2)} s, loaded ${cpu[1].toFixed(2)} s; rss growth plain ${(rssGrowth[0] / MiB).toFixed(1)} MiB, loaded ${(rssGrowth[1] / MiB).toFixed(1)} MiB`,
    );
    expect(seenPlain).toBeGreaterThanOrEqual(150);
    expect(seenLoaded).toBeGreaterThanOrEqual(150);

    // ~150 events x 600 work units (~3.7 us each here): 0.2-0.5 s of extra CPU against a poller
    // that is nearly idle; other processes on the machine add work to the loaded one only.
    expect(cpu[1] / Math.max(cpu[0], 0.01)).toBeGreaterThan(2);
    // 256 KiB kept per event (up to the cap): the retained bytes show up as resident memory.
    const retainedGrowth = metric(mLoaded, 'rox_collector_counters', 'retained_bytes') - retained0;
    expect(retainedGrowth).toBeGreaterThanOrEqual(Math.min(150 * PER_EVENT, CAP - retained0));
    expect(retainedGrowth).toBeGreaterThan(30 * MiB);
    expect(rssGrowth[1] - rssGrowth[0]).toBeGreaterThan(0.8 * retainedGrowth);
    expect(metric(mPlain, 'rox_collector_counters', 'retained_bytes')).toBe(0);
  });
});
