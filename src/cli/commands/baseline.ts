/** `collector-bench baseline list|update|prune`: printing around the store's plain functions. */
import {
  baselineArchive,
  baselineList,
  baselinePrune,
  formatBaselineListing,
  updateBaseline,
  type UpdateRequest,
} from '../../app/baseline.js';
import { info } from '../output.js';

export async function baselineListCommand(opts: {
  baseline: string;
  benchmark: string;
  envKey?: string;
  json?: boolean;
}): Promise<number> {
  const listing = await baselineList(opts.baseline, opts.benchmark, opts.envKey);
  if (opts.json) process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
  else info(formatBaselineListing(listing));
  return 0;
}

export async function baselineUpdateCommand(opts: UpdateRequest & { json?: boolean }): Promise<number> {
  const { outcome, line } = await updateBaseline(opts);
  if (opts.json) process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  else {
    info(line);
    if (outcome.archived.length) info(`archived ${outcome.archived.length} older result(s)`);
  }
  return 0;
}

export async function baselineArchiveCommand(opts: { baseline: string; key: string; json?: boolean }): Promise<number> {
  const moved = await baselineArchive(opts.baseline, opts.key);
  if (opts.json) process.stdout.write(`${JSON.stringify(moved, null, 2)}\n`);
  else info(`archived: ${opts.key} -> ${moved.key} (it no longer counts; move it back by hand to undo)`);
  return 0;
}

export async function baselinePruneCommand(opts: {
  baseline: string;
  benchmark: string;
  keep?: string;
  json?: boolean;
}): Promise<number> {
  const outcome = await baselinePrune(opts.baseline, opts.benchmark, opts.keep === undefined ? 10 : Number(opts.keep));
  if (opts.json) process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  else for (const g of outcome.groups) info(`${g.envKey}: archived ${g.archived.length}`);
  return 0;
}
