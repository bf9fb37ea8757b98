/** `collector-bench images build|list`: the locally built images (no registry is ever used). */
import Docker from 'dockerode';
import { RuntimeError } from '../../errors.js';
import { ensureCollectorImage, ensureNodeBaseImage, ensureWorkloadImage } from '../../runtime/images.js';
import { info } from '../output.js';

async function docker(): Promise<Docker> {
  const d = new Docker();
  try {
    await d.ping();
  } catch {
    throw new RuntimeError(
      'no Docker engine answers; images are only needed for the docker runtime (start one with node scripts/ensure-docker.mjs)',
    );
  }
  return d;
}

export async function imagesBuild(opts: { json?: boolean }): Promise<number> {
  const d = await docker();
  const t = Date.now();
  const base = await ensureNodeBaseImage(d, info);
  const workload = await ensureWorkloadImage(d, info);
  const collector = await ensureCollectorImage(d, info);
  const rows = [
    { image: base, built: undefined },
    { image: workload.localRef, id: workload.id, built: workload.built },
    { image: collector.localRef, id: collector.id, built: collector.built },
  ];
  if (opts.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else for (const r of rows) info(`${r.image}${r.built === false ? ' (up to date)' : ''}`);
  info(`images ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return 0;
}

export async function imagesList(opts: { json?: boolean }): Promise<number> {
  const d = await docker();
  const images = await d.listImages({ filters: { label: ['collector-bench=1'] } });
  const rows = images.flatMap((i) =>
    (i.RepoTags ?? []).map((tag) => ({
      tag,
      id: i.Id,
      sizeMiB: Math.round(i.Size / 2 ** 20),
      created: new Date(i.Created * 1000).toISOString(),
    })),
  );
  if (opts.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else for (const r of rows) info(`${r.tag.padEnd(48)} ${String(r.sizeMiB).padStart(5)} MiB  ${r.created}`);
  return 0;
}
