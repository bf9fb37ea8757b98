/**
 * Third-party agents the harness can pack into images itself, by repository name. A config naming
 * one (e.g. `collector-bench/execsnoop:local`) gets it built on first use, like the harness's own
 * images; any other image must already be in the local engine (nothing is pulled).
 */
import type Docker from 'dockerode';
import { ensureExecsnoopImage, EXECSNOOP_IMAGE } from './execsnoop-image.js';
import type { BuiltImage } from './rootfs-image.js';

const BUILDERS: Record<string, (docker: Docker, log?: (m: string) => void) => Promise<BuiltImage>> = {
  [EXECSNOOP_IMAGE]: ensureExecsnoopImage,
};

/** Builds `ref` when it is one of ours tagged `local`; null for any other image. */
export async function ensureAgentImage(
  docker: Docker,
  ref: string,
  log?: (m: string) => void,
): Promise<BuiltImage | null> {
  const [repo, tag] = ref.split(':');
  const build = BUILDERS[repo];
  if (!build || tag !== 'local') return null;
  return build(docker, log);
}
