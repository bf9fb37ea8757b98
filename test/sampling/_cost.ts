import { startSampler } from '../../src/sampling/sampler.js';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pid = process.pid;
for (const iv of [1000, 1000, 100, 1000, 100, 0]) {
  const c0 = cpu(); const w0 = performance.now();
  const s = iv ? startSampler({ source: { kind: 'proc', pid }, intervalMs: iv, t0: Date.now() }) : null;
  await sleep(5000);
  const n = s ? (await s.stop()).length : 0;
  const dc = cpu() - c0, dw = performance.now() - w0;
  console.log(iv, n, (dc / dw * 100).toFixed(3) + '%', (dc * 1000 / Math.max(1, n)).toFixed(0) + 'us/sample');
}
