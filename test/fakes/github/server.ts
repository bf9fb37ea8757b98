/**
 * A small fake of the GitHub REST API, enough for the real `@octokit/rest` client (with its retry
 * and throttling plugins) to do what the CI steps do, over HTTP on 127.0.0.1. Point the client at
 * it with `baseUrl: fake.url` or `GITHUB_API_URL=fake.url`.
 *
 * Served: issues (list with state/creator/labels filters, newest first; create; get; update);
 * the authenticated user (GET /user: a user token's login; an installation token such as
 * GITHUB_TOKEN gets 403 "Resource not accessible by integration", as on GitHub); issue comments
 * (list with `Link` pagination, create, update, delete); issue labels (list, add, remove); issue
 * events (list, paginated); the issue timeline (labeled events, and the PR's `committed` and
 * `head_ref_force_pushed` events, in the order they happened); collaborator permission; commit
 * statuses (create, list); pulls (get, list with `head=owner:branch`); workflow runs (list by
 * head_sha).
 * Test knobs: tokens with a permission level (a `read` token gets 403 on every write, as a
 * read-only GITHUB_TOKEN does), failNext (5xx), seeding helpers, and a request log.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RepoRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

interface User {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export interface FakeComment {
  id: number;
  html_url: string;
  body: string;
  user: User;
  created_at: string;
  updated_at: string;
}

export interface FakeStatus {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  target_url: string | null;
  created_at: string;
}

export interface FakePull {
  number: number;
  state: 'open' | 'closed';
  headSha: string;
  headRef: string;
  /** `owner/name` of the head repository (a fork's, for fork PRs). */
  headRepo: string;
  baseRef: string;
  baseSha: string;
  labels: string[];
}

export interface FakeIssueEvent {
  id?: number;
  event: string;
  actor: string;
  label?: string;
  created_at: string;
  /** head_ref_force_pushed: the new head. */
  commit_id?: string;
  /** committed: the commit (timeline only; its date is the committer's, chosen by whoever pushed). */
  sha?: string;
  committerDate?: string;
}

/** Events the timeline lists but the issue events API does not. */
const TIMELINE_ONLY = new Set(['committed']);

export interface FakeWorkflowRun {
  id: number;
  head_sha: string;
  event: string;
  created_at: string;
  name: string;
}

export interface FakeIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  user: User;
  labels: string[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  token: string | null;
}

interface Repo {
  comments: Map<number, FakeComment[]>;
  collaborators: Map<string, RepoRole>;
  statuses: FakeStatus[];
  pulls: Map<number, FakePull>;
  events: Map<number, FakeIssueEvent[]>;
  runs: FakeWorkflowRun[];
  issues: FakeIssue[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const WRITE_ROLES: readonly RepoRole[] = ['admin', 'maintain', 'write'];

export class FakeGitHub {
  url = '';
  readonly requests: RecordedRequest[] = [];
  private readonly repos = new Map<string, Repo>();
  /** token -> what the token may do on every repository. */
  private readonly tokens = new Map<string, { login: string; role: RepoRole; kind: 'installation' | 'user' }>();
  private readonly failures: Array<{ status: number; match: (method: string, path: string) => boolean }> = [];
  private nextId = 1000;
  private clock = Date.parse('2026-01-10T12:00:00Z');
  private readonly server: http.Server;
  private readonly defaultPageSize: number;

  constructor(options: { defaultPageSize?: number } = {}) {
    this.defaultPageSize = options.defaultPageSize ?? 30;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        const status = e instanceof HttpError ? e.status : 500;
        this.send(res, status, { message: (e as Error).message, documentation_url: 'https://docs.github.com/rest' });
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- seeding and inspection -------------------------------------------------------------

  /**
   * A token acting as `login` with `role` on every repository. An installation token (the
   * workflow's GITHUB_TOKEN, login `github-actions[bot]`) may not read GET /user; a user token may.
   */
  addToken(token: string, login: string, role: RepoRole, kind?: 'installation' | 'user'): void {
    this.tokens.set(token, { login, role, kind: kind ?? (login.endsWith('[bot]') ? 'installation' : 'user') });
  }

  setPermission(repo: string, login: string, role: RepoRole): void {
    this.repo(repo).collaborators.set(login, role);
  }

  /** Opens a PR; its head commit appears on the timeline as `committed`, as GitHub shows a PR's commits. */
  addPull(repo: string, pull: Omit<FakePull, 'state' | 'labels'> & Partial<Pick<FakePull, 'state' | 'labels'>>): void {
    this.repo(repo).pulls.set(pull.number, { state: 'open', labels: [], ...pull });
    const at = this.now();
    this.pushEvent(repo, pull.number, { event: 'committed', actor: '', sha: pull.headSha, created_at: at });
  }

  /**
   * A push to the PR's branch: new commits (a `committed` event each, dated by `committerDate`,
   * which the pusher chooses) or, with `force`, a force-push (`head_ref_force_pushed` by `actor`
   * at GitHub's time `at`). The PR's head becomes `sha`.
   */
  pushHead(
    repo: string,
    n: number,
    sha: string,
    opts: { force?: boolean; actor?: string; at?: string; committerDate?: string } = {},
  ): void {
    const pull = this.repo(repo).pulls.get(n);
    if (!pull) throw new Error(`fake: no pull ${n}`);
    pull.headSha = sha;
    const at = opts.at ?? this.now();
    if (opts.force) {
      this.pushEvent(repo, n, {
        event: 'head_ref_force_pushed',
        actor: opts.actor ?? 'octocat',
        commit_id: sha,
        created_at: at,
      });
    } else {
      this.pushEvent(repo, n, {
        event: 'committed',
        actor: '',
        sha,
        created_at: at,
        committerDate: opts.committerDate ?? at,
      });
    }
  }

  pull(repo: string, n: number): FakePull | undefined {
    return this.repo(repo).pulls.get(n);
  }

  /** Records a `labeled` issue event by `actor` and puts the label on the PR. */
  label(repo: string, n: number, label: string, actor: string, at?: string): void {
    const pull = this.repo(repo).pulls.get(n);
    if (pull && !pull.labels.includes(label)) pull.labels.push(label);
    this.pushEvent(repo, n, { event: 'labeled', actor, label, created_at: at ?? this.now() });
  }

  addWorkflowRun(repo: string, run: Omit<FakeWorkflowRun, 'id' | 'name'> & { name?: string }): FakeWorkflowRun {
    const full = { id: this.nextId++, name: 'benchmark', ...run };
    this.repo(repo).runs.push(full);
    return full;
  }

  /** Seeds `count` comments by other users, e.g. to push a sticky comment past the first page. */
  seedComments(
    repo: string,
    issue: number,
    count: number,
    body = (i: number) => `comment ${i}`,
    login = 'someone',
  ): void {
    for (let i = 0; i < count; i++) this.createComment(repo, issue, body(i), { login, id: 7, type: 'User' });
  }

  comments(repo: string, issue: number): FakeComment[] {
    return [...(this.repo(repo).comments.get(issue) ?? [])];
  }

  /** Issues (not pull requests) of the repository, oldest first. */
  issues(repo: string): FakeIssue[] {
    return [...this.repo(repo).issues];
  }

  /** An issue opened by someone, e.g. a person's issue that quotes a bot's marker. */
  addIssue(
    repo: string,
    issue: { title: string; body: string; login: string; type?: User['type']; state?: FakeIssue['state'] },
  ): FakeIssue {
    const user: User = { ...this.userJson(issue.login), type: issue.type ?? 'User' };
    const created = this.createIssue(repo, issue.title, issue.body, user);
    if (issue.state === 'closed') Object.assign(created, { state: 'closed', closed_at: this.now() });
    return created;
  }

  statuses(repo: string, sha?: string): FakeStatus[] {
    return this.repo(repo).statuses.filter((s) => sha === undefined || s.sha === sha);
  }

  /** The next request matching gets `status` instead of an answer (one failure per call). */
  failNext(status: number, match: (method: string, path: string) => boolean = () => true): void {
    this.failures.push({ status, match });
  }

  // ---- internals ---------------------------------------------------------------------------

  private now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private repo(name: string): Repo {
    let r = this.repos.get(name.toLowerCase());
    if (!r) {
      r = {
        comments: new Map(),
        collaborators: new Map(),
        statuses: [],
        pulls: new Map(),
        events: new Map(),
        runs: [],
        issues: [],
      };
      this.repos.set(name.toLowerCase(), r);
    }
    return r;
  }

  private pushEvent(repo: string, n: number, e: FakeIssueEvent): void {
    const r = this.repo(repo);
    r.events.set(n, [...(r.events.get(n) ?? []), { id: this.nextId++, ...e }]);
  }

  private createComment(repo: string, issue: number, body: string, user: User): FakeComment {
    const r = this.repo(repo);
    const at = this.now();
    const id = this.nextId++;
    const html_url = `https://github.com/${repo}/pull/${issue}#issuecomment-${id}`;
    const c: FakeComment = { id, html_url, body, user, created_at: at, updated_at: at };
    r.comments.set(issue, [...(r.comments.get(issue) ?? []), c]);
    return c;
  }

  /** Issues and pull requests share one sequence of numbers, as on GitHub. */
  private createIssue(repo: string, title: string, body: string | null, user: User): FakeIssue {
    const r = this.repo(repo);
    const taken = [...r.pulls.keys(), ...r.issues.map((i) => i.number), ...r.comments.keys()];
    const number = Math.max(0, ...taken) + 1;
    const at = this.now();
    const issue: FakeIssue = {
      id: this.nextId++,
      number,
      title,
      body,
      state: 'open',
      user,
      labels: [],
      created_at: at,
      updated_at: at,
      closed_at: null,
    };
    r.issues.push(issue);
    return issue;
  }

  /** An issue as the REST API returns it. */
  private issueJson(repo: string, i: FakeIssue): unknown {
    return {
      ...i,
      html_url: `https://github.com/${repo}/issues/${i.number}`,
      url: `${this.url}/repos/${repo}/issues/${i.number}`,
      labels: i.labels.map((name, k) => ({ id: k + 1, name })),
      comments: (this.repo(repo).comments.get(i.number) ?? []).length,
    };
  }

  private findComment(repo: string, id: number): { list: FakeComment[]; index: number; issue: number } {
    for (const [issue, list] of this.repo(repo).comments) {
      const index = list.findIndex((c) => c.id === id);
      if (index >= 0) return { list, index, issue };
    }
    throw new HttpError(404, 'Not Found');
  }

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      'x-github-request-id': String(this.nextId++),
      ...headers,
    });
    res.end(text);
  }

  private page<T>(
    res: http.ServerResponse,
    url: URL,
    items: readonly T[],
    map: (item: T) => unknown,
    wrap?: (page: unknown[]) => unknown,
  ): void {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? this.defaultPageSize)));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage).map(map);
    const link = (p: number, rel: string) => {
      const u = new URL(url.pathname + url.search, this.url);
      u.searchParams.set('per_page', String(perPage));
      u.searchParams.set('page', String(p));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    this.send(res, 200, wrap ? wrap(slice) : slice, links.length ? { link: links.join(', ') } : {});
  }

  private async readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (chunks.length === 0) return {};
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new HttpError(400, 'Problems parsing JSON');
    }
  }

  private userJson(login: string): User {
    return { login, id: [...login].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7), type: 'User' };
  }

  /** An issue event as GET .../issues/{n}/events and the timeline give it. */
  private issueEventJson(repo: string, e: FakeIssueEvent): unknown {
    return {
      id: e.id,
      node_id: `IE_${e.id}`,
      url: `https://api.github.com/repos/${repo}/issues/events/${e.id}`,
      actor: this.userJson(e.actor),
      event: e.event,
      commit_id: e.commit_id ?? null,
      commit_url: e.commit_id ? `https://api.github.com/repos/${repo}/commits/${e.commit_id}` : null,
      created_at: e.created_at,
      performed_via_github_app: null,
      ...(e.label ? { label: { name: e.label, color: 'ededed' } } : {}),
    };
  }

  /** A timeline `committed` event: the commit, with git's author and committer dates (no created_at). */
  private committedJson(repo: string, e: FakeIssueEvent): unknown {
    const person = { name: 'Monalisa Octocat', email: 'octocat@github.com', date: e.committerDate ?? e.created_at };
    return {
      event: 'committed',
      sha: e.sha,
      node_id: `C_${e.id}`,
      url: `https://api.github.com/repos/${repo}/git/commits/${e.sha}`,
      html_url: `https://github.com/${repo}/commit/${e.sha}`,
      author: person,
      committer: person,
      tree: { sha: '0'.repeat(40), url: `https://api.github.com/repos/${repo}/git/trees/${'0'.repeat(40)}` },
      message: 'commit',
      parents: [],
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
    };
  }

  private pullJson(repo: string, p: FakePull): unknown {
    const [headOwner] = p.headRepo.split('/');
    return {
      number: p.number,
      state: p.state,
      labels: p.labels.map((name, i) => ({ id: i + 1, name })),
      head: {
        sha: p.headSha,
        ref: p.headRef,
        label: `${headOwner}:${p.headRef}`,
        repo: { full_name: p.headRepo, fork: p.headRepo.toLowerCase() !== repo.toLowerCase() },
      },
      base: { sha: p.baseSha, ref: p.baseRef, repo: { full_name: repo } },
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const auth = req.headers.authorization ?? '';
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(auth)?.[1] ?? null;
    const record = (status: number) =>
      this.requests.push({
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status,
        token,
      });
    const origEnd = res.end.bind(res);
    res.end = ((...args: Parameters<typeof res.end>) => {
      record(res.statusCode);
      return origEnd(...args);
    }) as typeof res.end;

    const failure = this.failures.findIndex((f) => f.match(method, url.pathname));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return this.send(res, f.status, { message: `injected failure ${f.status}` });
    }
    const caller = token ? this.tokens.get(token) : undefined;
    if (!caller) return this.send(res, 401, { message: 'Bad credentials' });
    const isWrite = method !== 'GET' && method !== 'HEAD';
    if (isWrite && !WRITE_ROLES.includes(caller.role)) {
      return this.send(res, 403, { message: 'Resource not accessible by integration' });
    }

    if (url.pathname === '/user' && method === 'GET') {
      // GitHub answers GET /user for user tokens only; an installation token is refused.
      if (caller.kind === 'installation')
        return this.send(res, 403, { message: 'Resource not accessible by integration' });
      return this.send(res, 200, this.userJson(caller.login));
    }
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(url.pathname);
    if (!m) throw new HttpError(404, 'Not Found');
    const repoName = `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`;
    const rest = m[3];
    const repo = this.repo(repoName);
    let r: RegExpExecArray | null;

    if (rest === '/issues' && method === 'GET') {
      const state = url.searchParams.get('state') ?? 'open';
      const creator = url.searchParams.get('creator');
      const labels = (url.searchParams.get('labels') ?? '').split(',').filter((l) => l !== '');
      const issues = repo.issues
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => creator === null || i.user.login === creator)
        .filter((i) => labels.every((l) => i.labels.includes(l)))
        .sort((a, b) => b.number - a.number); // sort=created, direction=desc: GitHub's defaults
      return this.page(res, url, issues, (i) => this.issueJson(repoName, i));
    }
    if (rest === '/issues' && method === 'POST') {
      const b = await this.readBody(req);
      if (typeof b.title !== 'string' || b.title === '') throw new HttpError(422, 'title is missing');
      if (typeof b.body === 'string' && b.body.length > 65536) {
        throw new HttpError(422, 'body is too long (maximum is 65536 characters)');
      }
      const issue = this.createIssue(repoName, b.title, typeof b.body === 'string' ? b.body : null, {
        login: caller.login,
        id: 41898282,
        type: 'Bot',
      });
      return this.send(res, 201, this.issueJson(repoName, issue));
    }
    if ((r = /^\/issues\/(\d+)$/.exec(rest)) && (method === 'GET' || method === 'PATCH')) {
      const issue = repo.issues.find((i) => i.number === Number(r![1]));
      if (!issue) throw new HttpError(404, 'Not Found');
      if (method === 'PATCH') {
        const b = await this.readBody(req);
        if (typeof b.body === 'string' && b.body.length > 65536) {
          throw new HttpError(422, 'body is too long (maximum is 65536 characters)');
        }
        if (typeof b.title === 'string') issue.title = b.title;
        if (typeof b.body === 'string') issue.body = b.body;
        if (b.state === 'open' || b.state === 'closed') {
          issue.closed_at = b.state === 'closed' ? this.now() : null;
          issue.state = b.state;
        }
        issue.updated_at = this.now();
      }
      return this.send(res, 200, this.issueJson(repoName, issue));
    }
    if ((r = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = Number(r[1]);
      if (method === 'GET') return this.page(res, url, repo.comments.get(issue) ?? [], (c) => c);
      if (method === 'POST') {
        const body = (await this.readBody(req)).body;
        if (typeof body !== 'string') throw new HttpError(422, 'body is missing');
        if (body.length > 65536) throw new HttpError(422, 'body is too long (maximum is 65536 characters)');
        const c = this.createComment(repoName, issue, body, { login: caller.login, id: 41898282, type: 'Bot' });
        return this.send(res, 201, c);
      }
    }
    if ((r = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const { list, index } = this.findComment(repoName, Number(r[1]));
      if (method === 'GET') return this.send(res, 200, list[index]);
      if (method === 'PATCH') {
        const body = (await this.readBody(req)).body;
        if (typeof body !== 'string') throw new HttpError(422, 'body is missing');
        if (body.length > 65536) throw new HttpError(422, 'body is too long (maximum is 65536 characters)');
        list[index] = { ...list[index], body, updated_at: this.now() };
        return this.send(res, 200, list[index]);
      }
      if (method === 'DELETE') {
        list.splice(index, 1);
        return this.send(res, 204, undefined);
      }
    }
    if ((r = /^\/issues\/(\d+)\/labels$/.exec(rest))) {
      const pull = repo.pulls.get(Number(r[1]));
      if (!pull) throw new HttpError(404, 'Not Found');
      if (method === 'POST') {
        const labels = (await this.readBody(req)).labels;
        if (!Array.isArray(labels)) throw new HttpError(422, 'labels is missing');
        for (const l of labels) if (!pull.labels.includes(String(l))) pull.labels.push(String(l));
      }
      return this.page(res, url, pull.labels, (name) => ({ name }));
    }
    if ((r = /^\/issues\/(\d+)\/labels\/([^/]+)$/.exec(rest)) && method === 'DELETE') {
      const pull = repo.pulls.get(Number(r[1]));
      const name = decodeURIComponent(r[2]);
      if (!pull || !pull.labels.includes(name)) throw new HttpError(404, 'Label does not exist');
      pull.labels = pull.labels.filter((l) => l !== name);
      this.pushEvent(repoName, pull.number, {
        event: 'unlabeled',
        actor: caller.login,
        label: name,
        created_at: this.now(),
      });
      return this.page(res, url, pull.labels, (n) => ({ name: n }));
    }
    if ((r = /^\/issues\/(\d+)\/events$/.exec(rest)) && method === 'GET') {
      const events = (repo.events.get(Number(r[1])) ?? []).filter((e) => !TIMELINE_ONLY.has(e.event));
      return this.page(res, url, events, (e) => this.issueEventJson(repoName, e));
    }
    if ((r = /^\/issues\/(\d+)\/timeline$/.exec(rest)) && method === 'GET') {
      // In the order things happened (GitHub's own times; a commit's git dates play no part).
      const items = [...(repo.events.get(Number(r[1])) ?? [])].sort(
        (a, b) => Date.parse(a.created_at) - Date.parse(b.created_at),
      );
      return this.page(res, url, items, (e) =>
        e.event === 'committed' ? this.committedJson(repoName, e) : this.issueEventJson(repoName, e),
      );
    }
    if ((r = /^\/collaborators\/([^/]+)\/permission$/.exec(rest)) && method === 'GET') {
      const login = decodeURIComponent(r[1]);
      const role = repo.collaborators.get(login);
      if (role === undefined) throw new HttpError(404, `${login} is not a user`);
      // The legacy `permission` field folds maintain into write and triage into read; role_name does not.
      const legacy = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
      return this.send(res, 200, { permission: legacy, role_name: role, user: this.userJson(login) });
    }
    if ((r = /^\/statuses\/([0-9a-f]{7,40})$/.exec(rest)) && method === 'POST') {
      const b = await this.readBody(req);
      const state = b.state;
      if (state !== 'error' && state !== 'failure' && state !== 'pending' && state !== 'success') {
        throw new HttpError(422, 'state is not included in the list');
      }
      const s: FakeStatus = {
        id: this.nextId++,
        sha: r[1],
        state,
        context: typeof b.context === 'string' ? b.context : 'default',
        description: typeof b.description === 'string' ? b.description : null,
        target_url: typeof b.target_url === 'string' ? b.target_url : null,
        created_at: this.now(),
      };
      if ((s.description ?? '').length > 140) throw new HttpError(422, 'description is too long (maximum is 140)');
      repo.statuses.push(s);
      return this.send(res, 201, s);
    }
    if ((r = /^\/commits\/([0-9a-f]{7,40})\/statuses$/.exec(rest)) && method === 'GET') {
      const sha = r[1];
      return this.page(
        res,
        url,
        [...repo.statuses].reverse().filter((s) => s.sha === sha),
        (s) => s,
      );
    }
    if ((r = /^\/pulls\/(\d+)$/.exec(rest)) && method === 'GET') {
      const pull = repo.pulls.get(Number(r[1]));
      if (!pull) throw new HttpError(404, 'Not Found');
      return this.send(res, 200, this.pullJson(repoName, pull));
    }
    if (rest === '/pulls' && method === 'GET') {
      const head = url.searchParams.get('head');
      const state = url.searchParams.get('state') ?? 'open';
      const pulls = [...repo.pulls.values()].filter((p) => {
        if (state !== 'all' && p.state !== state) return false;
        if (!head) return true;
        const [owner, ref] = head.split(':');
        return p.headRepo.split('/')[0].toLowerCase() === owner.toLowerCase() && p.headRef === ref;
      });
      return this.page(res, url, pulls, (p) => this.pullJson(repoName, p));
    }
    if (rest === '/actions/runs' && method === 'GET') {
      const sha = url.searchParams.get('head_sha');
      const runs = repo.runs.filter((run) => !sha || run.head_sha === sha);
      return this.page(
        res,
        url,
        runs,
        (run) => run,
        (page) => ({ total_count: runs.length, workflow_runs: page }),
      );
    }
    throw new HttpError(404, 'Not Found');
  }
}
