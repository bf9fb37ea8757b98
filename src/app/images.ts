/** The locally built images (`collector-bench images build|list`); no registry is ever used. */
import { connectDocker } from '../runtime/select-runtime.js';
import { MiB } from '../units.js';
import type { Printer } from './printer.js';

const NEEDED_FOR = 'images are only needed for the docker runtime';

/** Builds (or reuses) the node-base, workload and reference-collector images; their build log goes to the printer. */
export async function buildImages(print: Printer) {
  const runtime = await connectDocker(NEEDED_FOR);
  return runtime.buildImages((m) => print.info(m));
}

/** The images collector-bench built, their sizes in MiB. */
export async function listImages() {
  const runtime = await connectDocker(NEEDED_FOR);
  return (await runtime.harnessImages()).map(({ sizeBytes, ...i }) => ({
    tag: i.tag,
    id: i.id,
    sizeMiB: Math.round(sizeBytes / MiB),
    created: i.created,
  }));
}
