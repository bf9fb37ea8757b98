/** `collector-bench images build|list`: the locally built images (app/images.ts; no registry is ever used). */
import { buildImages, listImages } from '../../app/images.js';
import { info, printer } from '../output.js';

export async function imagesBuild(opts: { json?: boolean }): Promise<number> {
  const t = Date.now();
  const rows = await buildImages(printer);
  if (opts.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else for (const r of rows) info(`${r.image}${r.built === false ? ' (up to date)' : ''}`);
  info(`images ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return 0;
}

export async function imagesList(opts: { json?: boolean }): Promise<number> {
  const rows = await listImages();
  if (opts.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else for (const r of rows) info(`${r.tag.padEnd(48)} ${String(r.sizeMiB).padStart(5)} MiB  ${r.created}`);
  return 0;
}
