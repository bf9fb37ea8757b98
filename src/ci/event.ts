/**
 * The GitHub Actions context a CI decision reads: the event name and payload (GITHUB_EVENT_NAME,
 * GITHUB_EVENT_PATH), the repository, the API URL and the token. Only the payload fields the plan
 * uses are checked (zod, at this boundary); the rest of GitHub's payload passes through untouched.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { parseRepo, type GitHubRepo } from '../github/client.js';
import { zodToInputError } from '../config/zod-errors.js';

const Login = z.object({ login: z.string() });
const Label = z.object({ name: z.string() });
const RepoRef = z.object({ full_name: z.string(), default_branch: z.string().optional() }).passthrough();

export const PullRequestEventSchema = z
  .object({
    action: z.string(),
    number: z.number().int(),
    label: Label.optional(),
    sender: Login,
    pull_request: z
      .object({
        number: z.number().int(),
        labels: z.array(Label),
        head: z.object({ sha: z.string(), ref: z.string(), repo: RepoRef.nullable() }),
        base: z.object({ sha: z.string(), ref: z.string(), repo: RepoRef }),
      })
      .passthrough(),
    repository: RepoRef,
  })
  .passthrough();

export const PushEventSchema = z
  .object({ ref: z.string(), after: z.string(), repository: RepoRef, sender: Login.optional() })
  .passthrough();

export const DispatchEventSchema = z
  .object({
    ref: z.string(),
    inputs: z.record(z.string(), z.unknown()).nullable().optional(),
    repository: RepoRef,
    sender: Login,
  })
  .passthrough();

export const ScheduleEventSchema = z.object({ schedule: z.string(), repository: RepoRef.optional() }).passthrough();

export const WorkflowRunEventSchema = z
  .object({
    action: z.string(),
    workflow_run: z
      .object({
        id: z.number(),
        event: z.string(),
        conclusion: z.string().nullable(),
        head_sha: z.string(),
        head_branch: z.string().nullable(),
        created_at: z.string(),
        html_url: z.string().optional(),
        pull_requests: z.array(z.object({ number: z.number().int() }).passthrough()),
        head_repository: z.object({ full_name: z.string(), owner: Login }).passthrough().nullable(),
      })
      .passthrough(),
    repository: RepoRef,
  })
  .passthrough();

export const EVENT_SCHEMAS = {
  pull_request: PullRequestEventSchema,
  push: PushEventSchema,
  workflow_dispatch: DispatchEventSchema,
  schedule: ScheduleEventSchema,
  workflow_run: WorkflowRunEventSchema,
} as const;
export type SupportedEvent = keyof typeof EVENT_SCHEMAS;

export interface ActionsContext {
  eventName: string;
  eventPath: string;
  payload: unknown;
  repo: GitHubRepo;
  apiUrl: string;
  token: string | null;
  /** GITHUB_REF, e.g. refs/heads/main (schedule payloads carry no ref). */
  ref: string | null;
}

/** Reads the Actions context from the environment; errors name the variable or the file and key. */
export function actionsContextFromEnv(env: NodeJS.ProcessEnv = process.env): ActionsContext {
  const need = (name: string): string => {
    const v = env[name];
    if (!v) throw new InvalidInputError('environment', name, v, 'set by GitHub Actions (or by hand to rehearse)');
    return v;
  };
  const eventName = need('GITHUB_EVENT_NAME');
  const eventPath = need('GITHUB_EVENT_PATH');
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(eventPath, 'utf8'));
  } catch (e) {
    throw new InvalidInputError(eventPath, '(root)', undefined, 'a JSON webhook payload', (e as Error).message);
  }
  const fromPayload = (payload as { repository?: { full_name?: string } } | null)?.repository?.full_name;
  const repoName = env.GITHUB_REPOSITORY || fromPayload;
  return {
    eventName,
    eventPath,
    payload,
    repo: parseRepo(repoName, env.GITHUB_REPOSITORY ? 'environment GITHUB_REPOSITORY' : `${eventPath} repository`),
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    token: env.GITHUB_TOKEN || null,
    ref: env.GITHUB_REF || null,
  };
}

/** Validates the fields the plan reads for a supported event. */
export function parseEvent<E extends SupportedEvent>(
  eventName: E,
  payload: unknown,
  where: string,
): z.infer<(typeof EVENT_SCHEMAS)[E]> {
  const parsed = EVENT_SCHEMAS[eventName].safeParse(payload);
  if (!parsed.success) throw zodToInputError(`${where} (${eventName} payload)`, parsed.error, payload);
  return parsed.data as z.infer<(typeof EVENT_SCHEMAS)[E]>;
}

export function isSupportedEvent(name: string): name is SupportedEvent {
  return Object.hasOwn(EVENT_SCHEMAS, name);
}
