/**
 * The baseline store in a Google Cloud Storage bucket, through the official client.
 *
 * Endpoint: `STORAGE_EMULATOR_HOST` (read by the client) or an explicit `apiEndpoint`; otherwise
 * storage.googleapis.com with Application Default Credentials.
 *
 * Retries: the client retries 408/429/5xx with exponential backoff, but only operations it deems
 * idempotent. Every write here carries a generation precondition (`ifGenerationMatch: 0` for new
 * objects, the listed generation for deletes), which makes it idempotent, so with the
 * RetryConditional strategy writes are retried too. Leaving a write unguarded would also make the
 * client switch retries off on the shared client object for the duration of that call, which
 * would silently affect concurrent operations.
 */
import { createHash } from 'node:crypto';
import {
  IdempotencyStrategy,
  RETRYABLE_ERR_FN_DEFAULT,
  Storage,
  type Bucket,
  type StorageOptions,
} from '@google-cloud/storage';
import { StoreError } from '../errors.js';
import type { ObjectBackend, ObjectInfo } from './backend.js';

export interface GcsRetryOptions {
  /** Retries after the first attempt (default 5). */
  maxRetries?: number;
  /** Backoff multiplier between attempts (default 2). */
  retryDelayMultiplier?: number;
  /**
   * Longest single wait, seconds (default 32). At least 1: the client's upload retry starts at a
   * 1 s wait and refuses a smaller maximum.
   */
  maxRetryDelaySeconds?: number;
  /** Give up retrying after this long, seconds (default 300). */
  totalTimeoutSeconds?: number;
}

export interface GcsStoreOptions {
  /** E.g. `http://127.0.0.1:4443` for an emulator or a test fake; beats STORAGE_EMULATOR_HOST. */
  apiEndpoint?: string;
  projectId?: string;
  /** Send credentials to a custom endpoint too (off by default: emulators take none). */
  useAuthWithCustomEndpoint?: boolean;
  retry?: GcsRetryOptions;
  /** A ready client (tests, or callers with their own auth); the options above are then ignored. */
  storage?: Storage;
}

interface ClientError extends Error {
  code?: number | string;
  errors?: Array<{ reason?: string; message?: string }>;
}

/** 408, 429 and every 5xx are transient; connection resets as the client already knows them. */
export function isRetryableGcsError(err: ClientError): boolean {
  const code = typeof err.code === 'string' && /^\d+$/.test(err.code) ? Number(err.code) : err.code;
  if (code === 408 || code === 429 || (typeof code === 'number' && code >= 500 && code < 600)) return true;
  return RETRYABLE_ERR_FN_DEFAULT(err as Parameters<typeof RETRYABLE_ERR_FN_DEFAULT>[0]);
}

export function makeStorageClient(options: GcsStoreOptions = {}): Storage {
  if (options.storage) return options.storage;
  // Looking for credentials, the auth library pings the GCE metadata server (169.254.169.254)
  // when it cannot tell whether it runs on GCE. The BIOS probe answers that without any traffic
  // (on a GCE VM it still finds the metadata server); set the variable yourself to override.
  process.env.METADATA_SERVER_DETECTION ??= 'bios-only';
  const r = options.retry ?? {};
  const storageOptions: StorageOptions = {
    retryOptions: {
      autoRetry: true,
      maxRetries: r.maxRetries ?? 5,
      retryDelayMultiplier: r.retryDelayMultiplier ?? 2,
      maxRetryDelay: Math.max(1, r.maxRetryDelaySeconds ?? 32),
      totalTimeout: r.totalTimeoutSeconds ?? 300,
      idempotencyStrategy: IdempotencyStrategy.RetryConditional,
      retryableErrorFn: isRetryableGcsError,
    },
  };
  if (options.apiEndpoint) storageOptions.apiEndpoint = options.apiEndpoint.replace(/\/+$/, '');
  if (options.projectId) storageOptions.projectId = options.projectId;
  if (options.useAuthWithCustomEndpoint) storageOptions.useAuthWithCustomEndpoint = true;
  return new Storage(storageOptions);
}

function statusOf(e: ClientError): number | undefined {
  if (typeof e.code === 'number') return e.code;
  if (typeof e.code === 'string' && /^\d+$/.test(e.code)) return Number(e.code);
  return undefined;
}

/** Download errors carry the raw JSON body as their message; pull Google's message out of it. */
function messageOf(e: ClientError): string {
  const m = e.message ?? String(e);
  if (m.trim().startsWith('{')) {
    try {
      const body = JSON.parse(m) as { error?: { message?: string } };
      if (body.error?.message) return body.error.message;
    } catch {
      // not JSON after all
    }
  }
  return m;
}

function isConditionNotMet(e: ClientError): boolean {
  return statusOf(e) === 412 || (e.errors ?? []).some((x) => x.reason === 'conditionNotMet');
}

const NO_CREDENTIALS_RE =
  /Could not load the default credentials|Unable to detect a Project Id|could not find default credentials|GOOGLE_APPLICATION_CREDENTIALS|The file at .* does not exist|Could not refresh access token|invalid_grant/i;

export class GcsBackend implements ObjectBackend {
  readonly bucketName: string;
  readonly prefix: string;
  private readonly storage: Storage;
  private readonly bucket: Bucket;

  constructor(bucket: string, prefix: string, options: GcsStoreOptions = {}) {
    this.bucketName = bucket;
    this.prefix = prefix.replace(/^\/+|\/+$/g, '');
    this.storage = makeStorageClient(options);
    this.bucket = this.storage.bucket(bucket);
  }

  private full(key: string): string {
    return this.prefix === '' ? key : key === '' ? `${this.prefix}/` : `${this.prefix}/${key}`;
  }

  locate(key: string): string {
    return `gs://${this.bucketName}/${this.full(key)}`;
  }

  /** Turns a client error into a StoreError a person can act on. */
  private async fail(op: string, key: string, err: unknown, objectOp = true): Promise<never> {
    const e = err as ClientError;
    const where = this.locate(key);
    const status = statusOf(e);
    const msg = messageOf(e);
    const ctx = { bucket: this.bucketName, object: this.full(key), op, status };
    // Upload streams lose the auth library's error (they report a destroyed stream instead), so
    // on a non-HTTP failure ask the auth library directly whether credentials are the problem.
    const credentialError = NO_CREDENTIALS_RE.test(msg)
      ? msg
      : status === undefined
        ? await this.credentialProblem()
        : null;
    if (credentialError !== null) {
      throw new StoreError(
        'STORE_NO_CREDENTIALS',
        `baseline store gs://${this.bucketName}: no Google Cloud credentials (${op} ${where}). ` +
          'Set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or run ' +
          '`gcloud auth application-default login` for Application Default Credentials, ' +
          'or set STORAGE_EMULATOR_HOST (or the apiEndpoint option) to use an emulator. ' +
          `Client said: ${credentialError}`,
        ctx,
        { cause: err },
      );
    }
    if (status === 404) {
      if (!objectOp || !(await this.bucketExists())) {
        throw new StoreError(
          'STORE_BUCKET_MISSING',
          `baseline store: bucket ${this.bucketName} does not exist (${op} ${where})`,
          ctx,
          { cause: err },
        );
      }
      throw new StoreError('STORE_NOT_FOUND', `baseline store: ${where} does not exist (${op})`, ctx, { cause: err });
    }
    if (status === 401 || status === 403) {
      const principal = /^(\S+) does not have /.exec(msg)?.[1];
      throw new StoreError(
        'STORE_ACCESS_DENIED',
        `baseline store: access denied to bucket ${this.bucketName} for ${principal ?? 'the current credentials'} ` +
          `(${op} ${where}): ${msg}. The principal needs storage.objects.{list,get,create,delete} ` +
          '(e.g. roles/storage.objectAdmin) on the bucket.',
        { ...ctx, principal: principal ?? null },
        { cause: err },
      );
    }
    if (status !== undefined && isRetryableGcsError(e)) {
      throw new StoreError(
        'STORE_UNAVAILABLE',
        `baseline store: ${op} ${where} still failed after retries: HTTP ${status} ${msg}`,
        ctx,
        { cause: err },
      );
    }
    throw new StoreError(
      'STORE_GCS',
      `baseline store: ${op} ${where} failed: ${status !== undefined ? `HTTP ${status} ` : ''}${msg}`,
      ctx,
      { cause: err },
    );
  }

  /** The auth library's complaint about the credentials, or null when they load (or are not used). */
  private async credentialProblem(): Promise<string | null> {
    const s = this.storage as unknown as { customEndpoint?: boolean; useAuthWithCustomEndpoint?: boolean };
    if (s.customEndpoint && !s.useAuthWithCustomEndpoint) return null; // emulators take no credentials
    try {
      await this.storage.authClient.getClient();
      return null;
    } catch (e) {
      const m = (e as Error).message ?? String(e);
      return NO_CREDENTIALS_RE.test(m) || /credential/i.test(m) ? m : null;
    }
  }

  private async bucketExists(): Promise<boolean> {
    try {
      const [exists] = await this.bucket.exists();
      return exists;
    } catch {
      return true; // cannot tell: report the original error as an object error
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    try {
      const [files] = await this.bucket.getFiles({ prefix: this.full(prefix), autoPaginate: true });
      const strip = this.prefix === '' ? 0 : this.prefix.length + 1;
      return files.map((f) => ({
        key: f.name.slice(strip),
        hash: f.metadata.md5Hash,
        generation: f.metadata.generation === undefined ? undefined : String(f.metadata.generation),
      }));
    } catch (e) {
      return this.fail('list', prefix, e, false);
    }
  }

  async read(key: string): Promise<Buffer> {
    try {
      const [data] = await this.bucket.file(this.full(key)).download();
      return data;
    } catch (e) {
      return this.fail('read', key, e);
    }
  }

  async createNew(key: string, data: Buffer): Promise<'created' | 'exists'> {
    try {
      await this.bucket.file(this.full(key)).save(data, {
        resumable: false, // small JSON: one multipart request, no upload session to resume
        contentType: 'application/json',
        validation: 'crc32c',
        preconditionOpts: { ifGenerationMatch: 0 },
      });
      return 'created';
    } catch (e) {
      if (isConditionNotMet(e as ClientError)) return 'exists';
      return this.fail('write', key, e);
    }
  }

  async copyNew(from: string, to: string): Promise<'created' | 'exists'> {
    try {
      await this.bucket
        .file(this.full(from))
        .copy(this.bucket.file(this.full(to)), { preconditionOpts: { ifGenerationMatch: 0 } });
      return 'created';
    } catch (e) {
      if (isConditionNotMet(e as ClientError)) return 'exists';
      return this.fail(`copy to ${this.locate(to)} from`, from, e);
    }
  }

  hashData(data: Buffer): string {
    return createHash('md5').update(data).digest('base64');
  }

  async hashOf(key: string): Promise<string> {
    try {
      const [meta] = await this.bucket.file(this.full(key)).getMetadata();
      if (meta.md5Hash) return meta.md5Hash;
    } catch (e) {
      return this.fail('stat', key, e);
    }
    return this.hashData(await this.read(key)); // composite objects carry no md5
  }

  async remove(key: string, generation?: string): Promise<void> {
    try {
      // With a generation the delete is idempotent (so it is retried) and removes only what we copied.
      await this.bucket
        .file(this.full(key))
        .delete(generation === undefined ? {} : { ifGenerationMatch: Number(generation) });
    } catch (e) {
      const status = statusOf(e as ClientError);
      if (status === 404 && (await this.bucketExists())) return; // already moved by a concurrent prune
      return this.fail('delete', key, e);
    }
  }
}
