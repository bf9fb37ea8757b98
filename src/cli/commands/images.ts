/** `collector-bench images build|list`: the locally built images (no registry is ever used). */
import { connectDocker } from '../../runtime/select-runtime.js';
import { MiB } from '../../units.js';
import { info } from '../output.js';

const NEEDED_FOR = 'images are only needed for the docker runtime';

export async function imagesBuild(opts: { json?: boolean }): Promise<number> {
  const runtime = await connectDocker(NEEDED_FOR);
  const t = Date.now();
  const rows = await runtime.buildImages(info);
  if (opts.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else for (const r of rows) info(`${r.image}${r.built === false ? ' (up to date)' : ''}`);
  info(`images ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return 0;
}

export async function imagesList(opts: { json?: boolean }): Promise<number> {
  const runtime = await connectDocker(NEEDED_FOR);
  const rows = (await runtime.harnessImages()).map(({ sizeBytes, ...i }) => ({
    tag: i.tag,
    id: i.id,
    sizeMiB: Math.round(sizeBytes / MiB),
    created: i.created,
  }));
  if (opts.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else for (const r of rows) info(`${r.tag.padEnd(48)} ${String(r.sizeMiB).padStart(5)} MiB  ${r.created}`);
  return 0;
}
