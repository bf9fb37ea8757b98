/**
 * Who the token is, so that the sticky comment is looked for among OUR comments only: anyone can
 * post a comment that starts with the marker, and the bot must never edit or delete theirs.
 * GET /user answers for a user's token; an installation token (the workflow's GITHUB_TOKEN, a
 * GitHub App's) is refused there with 403, and acts as the app's bot user, `github-actions[bot]`
 * for GITHUB_TOKEN (COLLECTOR_BENCH_BOT_LOGIN names another app's bot).
 */
import { httpStatusOf, type GitHubClient } from './client.js';

export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

export async function tokenLogin(client: GitHubClient, botLogin: string = ACTIONS_BOT_LOGIN): Promise<string> {
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return data.login;
  } catch (e) {
    const status = httpStatusOf(e);
    if (status === 403 || status === 401) return botLogin;
    throw e;
  }
}
