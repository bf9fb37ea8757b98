/**
 * A small fake of the GCS JSON API, enough for the real `@google-cloud/storage` client to store,
 * list, read, copy and delete baseline objects over HTTP on 127.0.0.1. Point the client at it with
 * `apiEndpoint: fake.url` or `STORAGE_EMULATOR_HOST=fake.url` (paths with and without the
 * `/storage/v1` prefix are both served).
 *
 * Served: buckets.get; objects.insert (uploadType=media and multipart; resumable is refused so a
 * test notices if the client starts using it); objects.list (prefix, delimiter, maxResults,
 * pageToken); objects.get (metadata and alt=media with x-goog-hash); objects.delete;
 * objects.rewrite and objects.copy; the ifGenerationMatch / ifGenerationNotMatch /
 * ifSourceGenerationMatch preconditions (412 conditionNotMet).
 * Test knobs: failNext (429/5xx), removeBucket, deny (403), putRaw, requests log.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32cBase64 } from './crc32c.js';

interface StoredObject {
  name: string;
  data: Buffer;
  generation: number;
  contentType: string;
  created: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without query, as sent (object names still percent-encoded). */
  path: string;
  query: Record<string, string>;
  status: number;
}

interface Failure {
  status: number;
  match?: (method: string, path: string) => boolean;
}

export interface FakeGcsOptions {
  buckets?: string[];
  /** Items per list page when the client sends no maxResults (small values exercise paging). */
  defaultPageSize?: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

const PRECONDITION_MESSAGE = 'At least one of the pre-conditions you specified did not hold.';

export class FakeGcs {
  url = '';
  port = 0;
  readonly requests: RecordedRequest[] = [];
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  private readonly failures: Failure[] = [];
  private deniedPrincipal: string | null = null;
  private authRequired = false;
  private nextGeneration = 1_700_000_000_000_000;
  private readonly server: http.Server;
  private readonly defaultPageSize: number;

  constructor(options: FakeGcsOptions = {}) {
    for (const b of options.buckets ?? []) this.addBucket(b);
    this.defaultPageSize = options.defaultPageSize ?? 1000;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        this.sendError(res, new HttpError(500, 'backendError', `fake crashed: ${(e as Error).message}`));
      });
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- knobs for tests ----

  addBucket(name: string): void {
    if (!this.buckets.has(name)) this.buckets.set(name, new Map());
  }

  removeBucket(name: string): void {
    this.buckets.delete(name);
  }

  /** The next `n` requests (that `match`, if given) answer `status` with Google's error body. */
  failNext(n: number, status: number, match?: (method: string, path: string) => boolean): void {
    for (let i = 0; i < n; i++) this.failures.push({ status, match });
  }

  /** Drops failures injected with failNext that no request has consumed yet. */
  clearFailures(): void {
    this.failures.length = 0;
  }

  /** Requests without an Authorization header answer 401 "Anonymous caller ...", as a private bucket does. */
  requireAuth(on = true): void {
    this.authRequired = on;
  }

  /** Every request answers 403, naming `principal` the way GCS does. `null` lifts the denial. */
  deny(principal: string | null = 'ci-runner@example-project.iam.gserviceaccount.com'): void {
    this.deniedPrincipal = principal;
  }

  /** Stores bytes directly (no preconditions), e.g. to plant a corrupt object. */
  putRaw(bucket: string, name: string, data: Buffer | string, contentType = 'application/json'): void {
    this.bucketOrThrow(bucket).set(name, {
      name,
      data: Buffer.from(data),
      generation: this.nextGeneration++,
      contentType,
      created: new Date().toISOString(),
    });
  }

  getRaw(bucket: string, name: string): Buffer | undefined {
    return this.buckets.get(bucket)?.get(name)?.data;
  }

  names(bucket: string, prefix = ''): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].filter((n) => n.startsWith(prefix)).sort();
  }

  // ---- the API ----

  private bucketOrThrow(name: string): Map<string, StoredObject> {
    const b = this.buckets.get(name);
    if (!b) throw new HttpError(404, 'notFound', 'The specified bucket does not exist.');
    return b;
  }

  private metadata(bucket: string, o: StoredObject): Record<string, unknown> {
    return {
      kind: 'storage#object',
      id: `${bucket}/${o.name}/${o.generation}`,
      selfLink: `${this.url}/storage/v1/b/${bucket}/o/${encodeURIComponent(o.name)}`,
      mediaLink: `${this.url}/download/storage/v1/b/${bucket}/o/${encodeURIComponent(o.name)}?generation=${o.generation}&alt=media`,
      name: o.name,
      bucket,
      generation: String(o.generation),
      metageneration: '1',
      contentType: o.contentType,
      storageClass: 'STANDARD',
      size: String(o.data.length),
      md5Hash: createHash('md5').update(o.data).digest('base64'),
      crc32c: crc32cBase64(o.data),
      etag: `C${o.generation}`,
      timeCreated: o.created,
      updated: o.created,
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams.entries());
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const record: RecordedRequest = { method, path: url.pathname, query, status: 0 };
    this.requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    try {
      const idx = this.failures.findIndex((f) => !f.match || f.match(method, url.pathname));
      if (idx >= 0) {
        const [f] = this.failures.splice(idx, 1);
        throw new HttpError(
          f.status,
          f.status === 429 ? 'rateLimitExceeded' : 'backendError',
          f.status === 429 ? 'The rate of requests is too high (fake).' : 'Backend Error (fake).',
        );
      }
      this.route(method, url.pathname, query, body, req, res);
    } catch (e) {
      if (e instanceof HttpError) this.sendError(res, e);
      else throw e;
    }
  }

  private route(
    method: string,
    rawPath: string,
    q: Record<string, string>,
    body: Buffer,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): void {
    const upload = rawPath.startsWith('/upload/storage/v1/');
    const path = upload ? rawPath.slice('/upload/storage/v1'.length) : rawPath.replace(/^\/storage\/v1(?=\/)/, '');
    const seg = path
      .split('/')
      .slice(1)
      .map((s) => decodeURIComponent(s));
    // seg: ['b', bucket, 'o', object, ('rewriteTo'|'copyTo'), 'b', dstBucket, 'o', dstObject]
    if (seg[0] !== 'b' || seg.length < 2)
      throw new HttpError(404, 'notFound', `Not Found (fake does not serve ${method} ${rawPath})`);
    const bucket = seg[1];
    if (this.authRequired && !req.headers.authorization) {
      const perm = permissionFor(method, seg, upload);
      throw new HttpError(
        401,
        'required',
        `Anonymous caller does not have ${perm} access to the Google Cloud Storage ${seg.length > 3 ? 'object' : 'bucket'}.`,
      );
    }
    if (this.deniedPrincipal !== null) {
      const perm = permissionFor(method, seg, upload);
      throw new HttpError(
        403,
        'forbidden',
        `${this.deniedPrincipal} does not have ${perm} access to the Google Cloud Storage ${seg.length > 3 ? 'object' : 'bucket'}. Permission '${perm}' denied on resource (or it may not exist).`,
      );
    }
    if (seg.length === 2 && method === 'GET') {
      this.bucketOrThrow(bucket);
      return sendJson(res, 200, {
        kind: 'storage#bucket',
        id: bucket,
        name: bucket,
        location: 'US',
        storageClass: 'STANDARD',
        metageneration: '1',
      });
    }
    if (seg.length === 3 && seg[2] === 'o') {
      if (method === 'GET') return this.list(bucket, q, res);
      if (method === 'POST' && upload) return this.insert(bucket, q, body, req, res);
    }
    if (seg.length === 4 && seg[2] === 'o') {
      const name = seg[3];
      if (method === 'GET') return this.getObject(bucket, name, q, res);
      if (method === 'DELETE') return this.deleteObject(bucket, name, q, res);
    }
    if (
      seg.length === 9 &&
      seg[2] === 'o' &&
      (seg[4] === 'rewriteTo' || seg[4] === 'copyTo') &&
      seg[5] === 'b' &&
      seg[7] === 'o' &&
      method === 'POST'
    ) {
      return this.copy(bucket, seg[3], seg[6], seg[8], q, seg[4] === 'rewriteTo', res);
    }
    throw new HttpError(404, 'notFound', `Not Found (fake does not serve ${method} ${rawPath})`);
  }

  private checkPreconditions(existing: StoredObject | undefined, q: Record<string, string>): void {
    const current = existing ? existing.generation : 0;
    if (q.ifGenerationMatch !== undefined && Number(q.ifGenerationMatch) !== current) {
      throw new HttpError(412, 'conditionNotMet', PRECONDITION_MESSAGE, {
        locationType: 'header',
        location: 'If-Match',
      });
    }
    if (q.ifGenerationNotMatch !== undefined && Number(q.ifGenerationNotMatch) === current) {
      throw new HttpError(412, 'conditionNotMet', PRECONDITION_MESSAGE, {
        locationType: 'header',
        location: 'If-None-Match',
      });
    }
  }

  private store(
    bucket: string,
    name: string,
    data: Buffer,
    contentType: string,
    q: Record<string, string>,
  ): StoredObject {
    const objects = this.bucketOrThrow(bucket);
    if (!name) throw new HttpError(400, 'required', 'Required parameter: name');
    this.checkPreconditions(objects.get(name), q);
    const o: StoredObject = {
      name,
      data,
      generation: this.nextGeneration++,
      contentType,
      created: new Date().toISOString(),
    };
    objects.set(name, o);
    return o;
  }

  private insert(
    bucket: string,
    q: Record<string, string>,
    body: Buffer,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): void {
    const type = q.uploadType;
    if (type === 'media') {
      const o = this.store(bucket, q.name, body, req.headers['content-type'] ?? 'application/octet-stream', q);
      return sendJson(res, 200, this.metadata(bucket, o));
    }
    if (type === 'multipart') {
      const parts = parseMultipart(body, req.headers['content-type'] ?? '');
      if (parts.length !== 2)
        throw new HttpError(400, 'invalid', `multipart upload needs 2 parts, got ${parts.length}`);
      const meta = JSON.parse(parts[0].body.toString('utf8') || '{}') as {
        name?: string;
        contentType?: string;
        crc32c?: string;
        md5Hash?: string;
      };
      const data = parts[1].body;
      // Like GCS: hashes sent with the metadata are checked before the object is stored.
      if (meta.crc32c && meta.crc32c !== crc32cBase64(data))
        throw new HttpError(400, 'invalid', 'Provided CRC32C does not match the data.');
      if (meta.md5Hash && meta.md5Hash !== createHash('md5').update(data).digest('base64'))
        throw new HttpError(400, 'invalid', 'Provided MD5 hash does not match the data.');
      const o = this.store(
        bucket,
        q.name ?? meta.name ?? '',
        data,
        meta.contentType ?? parts[1].contentType ?? 'application/octet-stream',
        q,
      );
      return sendJson(res, 200, this.metadata(bucket, o));
    }
    throw new HttpError(
      400,
      'invalid',
      `uploadType=${type ?? '(none)'} is not implemented by the fake (only media and multipart)`,
    );
  }

  private list(bucket: string, q: Record<string, string>, res: http.ServerResponse): void {
    const objects = this.bucketOrThrow(bucket);
    const prefix = q.prefix ?? '';
    const delimiter = q.delimiter;
    const entries: Array<{ sortKey: string; item?: StoredObject; prefix?: string }> = [];
    const seenPrefixes = new Set<string>();
    for (const o of [...objects.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!o.name.startsWith(prefix)) continue;
      if (delimiter) {
        const cut = o.name.indexOf(delimiter, prefix.length);
        if (cut >= 0) {
          const p = o.name.slice(0, cut + delimiter.length);
          if (!seenPrefixes.has(p)) {
            seenPrefixes.add(p);
            entries.push({ sortKey: p, prefix: p });
          }
          continue;
        }
      }
      entries.push({ sortKey: o.name, item: o });
    }
    entries.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    const after = q.pageToken ? Buffer.from(q.pageToken, 'base64url').toString('utf8') : null;
    const start = after === null ? 0 : entries.findIndex((e) => e.sortKey > after);
    const size = Math.max(1, Number(q.maxResults ?? this.defaultPageSize) || this.defaultPageSize);
    const page = start < 0 ? [] : entries.slice(start, start + size);
    const more = start >= 0 && start + size < entries.length;
    const out: Record<string, unknown> = { kind: 'storage#objects' };
    const items = page.filter((e) => e.item).map((e) => this.metadata(bucket, e.item as StoredObject));
    const prefixes = page.filter((e) => e.prefix).map((e) => e.prefix as string);
    if (items.length) out.items = items;
    if (prefixes.length) out.prefixes = prefixes;
    if (more) out.nextPageToken = Buffer.from(page[page.length - 1].sortKey, 'utf8').toString('base64url');
    sendJson(res, 200, out);
  }

  private objectOrThrow(bucket: string, name: string, generation?: string): StoredObject {
    const o = this.bucketOrThrow(bucket).get(name);
    if (!o || (generation !== undefined && Number(generation) !== o.generation)) {
      throw new HttpError(404, 'notFound', `No such object: ${bucket}/${name}`);
    }
    return o;
  }

  private getObject(bucket: string, name: string, q: Record<string, string>, res: http.ServerResponse): void {
    const objects = this.bucketOrThrow(bucket);
    this.checkPreconditions(objects.get(name), q);
    const o = this.objectOrThrow(bucket, name, q.generation);
    if (q.alt === 'media') {
      const meta = this.metadata(bucket, o);
      res.writeHead(200, {
        'content-type': o.contentType,
        'content-length': String(o.data.length),
        'x-goog-hash': `crc32c=${meta.crc32c as string},md5=${meta.md5Hash as string}`,
        'x-goog-stored-content-encoding': 'identity',
        'x-goog-generation': String(o.generation),
        'x-goog-metageneration': '1',
      });
      res.end(o.data);
      return;
    }
    sendJson(res, 200, this.metadata(bucket, o));
  }

  private deleteObject(bucket: string, name: string, q: Record<string, string>, res: http.ServerResponse): void {
    const objects = this.bucketOrThrow(bucket);
    this.checkPreconditions(objects.get(name), q);
    this.objectOrThrow(bucket, name, q.generation);
    objects.delete(name);
    res.writeHead(204);
    res.end();
  }

  private copy(
    srcBucket: string,
    srcName: string,
    dstBucket: string,
    dstName: string,
    q: Record<string, string>,
    rewrite: boolean,
    res: http.ServerResponse,
  ): void {
    const src = this.objectOrThrow(srcBucket, srcName, q.sourceGeneration);
    if (q.ifSourceGenerationMatch !== undefined && Number(q.ifSourceGenerationMatch) !== src.generation) {
      throw new HttpError(412, 'conditionNotMet', PRECONDITION_MESSAGE, {
        locationType: 'header',
        location: 'If-Match',
      });
    }
    const o = this.store(dstBucket, dstName, Buffer.from(src.data), src.contentType, q);
    const meta = this.metadata(dstBucket, o);
    if (!rewrite) return sendJson(res, 200, meta);
    sendJson(res, 200, {
      kind: 'storage#rewriteResponse',
      totalBytesRewritten: String(o.data.length),
      objectSize: String(o.data.length),
      done: true,
      resource: meta,
    });
  }

  private sendError(res: http.ServerResponse, e: HttpError): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendJson(res, e.status, {
      error: {
        code: e.status,
        message: e.message,
        errors: [{ domain: 'global', reason: e.reason, message: e.message, ...e.extra }],
      },
    });
  }
}

function permissionFor(method: string, seg: string[], upload: boolean): string {
  if (seg.length === 2) return 'storage.buckets.get';
  if (upload || seg.length > 4) return 'storage.objects.create';
  if (seg.length === 3) return 'storage.objects.list';
  return method === 'DELETE' ? 'storage.objects.delete' : 'storage.objects.get';
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** multipart/related as the client sends it: `--B\r\nContent-Type: x\r\n\r\n<body>\r\n` ... `--B--`. */
export function parseMultipart(body: Buffer, contentType: string): Array<{ contentType?: string; body: Buffer }> {
  const m = /boundary="?([^";]+)"?/i.exec(contentType);
  if (!m) throw new HttpError(400, 'invalid', `multipart upload without a boundary (Content-Type: ${contentType})`);
  const delim = Buffer.from(`--${m[1]}`);
  const parts: Array<{ contentType?: string; body: Buffer }> = [];
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    const afterDelim = pos + delim.length;
    if (body.subarray(afterDelim, afterDelim + 2).toString() === '--') break; // closing delimiter
    const headerEnd = body.indexOf('\r\n\r\n', afterDelim);
    if (headerEnd < 0) break;
    const headers = body.subarray(afterDelim, headerEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), headerEnd + 4);
    if (next < 0) break;
    parts.push({
      contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim(),
      body: body.subarray(headerEnd + 4, next),
    });
    pos = next + 2;
  }
  return parts;
}

export async function startFakeGcs(options: FakeGcsOptions = {}): Promise<FakeGcs> {
  return new FakeGcs(options).listen();
}
