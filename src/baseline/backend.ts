/**
 * The few object operations a baseline store needs. The folder and the bucket implement them with
 * the same guarantees, so one store implementation (store.ts) serves both and they behave alike.
 */
export interface ObjectInfo {
  /** Relative to the store prefix, `/`-separated. */
  key: string;
  /** A content fingerprint comparable between objects of the same backend (md5 base64 or sha256). */
  hash?: string;
  /** Bucket generation; used as a delete precondition so only the object we copied is deleted. */
  generation?: string;
}

export interface ObjectBackend {
  /** Human-readable location of a key: `gs://bucket/prefix/key` or an absolute path. */
  locate(key: string): string;
  /** All objects whose key starts with `prefix` (a folder, ending in `/`), recursively. */
  list(prefix: string): Promise<ObjectInfo[]>;
  read(key: string): Promise<Buffer>;
  /** Writes only if no object has this key: 'exists' when one does (nothing is overwritten). */
  createNew(key: string, data: Buffer): Promise<'created' | 'exists'>;
  /** Copies `from` to a new key `to`, with the same does-not-exist precondition as createNew. */
  copyNew(from: string, to: string): Promise<'created' | 'exists'>;
  /** The fingerprint hashOf would give for these bytes. */
  hashData(data: Buffer): string;
  /** Fingerprint of the object's content, to tell "our own earlier write" from a real collision. */
  hashOf(key: string): Promise<string>;
  /** Deletes `key`; with `generation`, only if the object is still that generation. */
  remove(key: string, generation?: string): Promise<void>;
}
