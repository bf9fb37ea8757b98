/**
 * `collector-bench comment --report <comparison.json|md> [--repo owner/name] [--pr N]`: the sticky PR
 * comment, job summary, commit status and step outputs (app/comment.ts). Exit 1 only with --fail-on-regression.
 */
import { publishComment, type CommentCommandOptions } from '../../app/comment.js';
import { printer } from '../output.js';

export async function commentCommand(
  opts: CommentCommandOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return publishComment(opts, printer, env);
}
