/**
 * Who may move a baseline: asked of the API for the person, never read from an event payload
 * (anyone who can edit a PR's labels, triage included, would otherwise decide it).
 */
import { httpStatusOf, type GitHubClient, type GitHubRepo } from './client.js';

export type RepoRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

/** Roles allowed to accept a PR's results into the baseline. */
export const BASELINE_ROLES: readonly RepoRole[] = ['admin', 'maintain', 'write'];

const ROLES: readonly RepoRole[] = ['admin', 'maintain', 'write', 'triage', 'read', 'none'];

/**
 * The user's role on the repository. `role_name` distinguishes maintain and triage, which the
 * legacy `permission` field folds into write and read; a user who is not a collaborator (404) is
 * `none`.
 */
export async function collaboratorRole(client: GitHubClient, where: GitHubRepo, username: string): Promise<RepoRole> {
  try {
    const { data } = await client.rest.repos.getCollaboratorPermissionLevel({ ...where, username });
    const role = (data as { role_name?: string }).role_name ?? data.permission;
    return (ROLES as readonly string[]).includes(role) ? (role as RepoRole) : 'none';
  } catch (e) {
    if (httpStatusOf(e) === 404) return 'none';
    throw e;
  }
}

export function mayUpdateBaseline(role: RepoRole): boolean {
  return BASELINE_ROLES.includes(role);
}
