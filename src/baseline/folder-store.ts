/**
 * The baseline store in a local folder (e.g. `baselines/` for `npm run bench` without a bucket).
 * Writes never replace a file: the content goes to a temp file first and is then hard-linked to its
 * final name, which fails with EEXIST when the name is taken. Readers therefore never see a
 * half-written result, and two writers of the same name cannot overwrite each other.
 */
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StoreError } from '../errors.js';
import type { ObjectBackend, ObjectInfo } from './backend.js';

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

export class FolderBackend implements ObjectBackend {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  locate(key: string): string {
    return path.join(this.root, ...key.split('/'));
  }

  private fail(op: string, key: string, e: unknown): never {
    const where = this.locate(key);
    const code = errno(e);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new StoreError(
        'STORE_ACCESS_DENIED',
        `baseline store: access denied to ${where} (${op}: ${code})`,
        { path: where, op },
        { cause: e },
      );
    }
    if (code === 'ENOENT') {
      throw new StoreError(
        'STORE_NOT_FOUND',
        `baseline store: ${where} does not exist (${op})`,
        { path: where, op },
        { cause: e },
      );
    }
    if (code === 'ENOTDIR') {
      throw new StoreError(
        'STORE_NOT_A_FOLDER',
        `baseline store: a part of ${where} is a file, not a folder (${op})`,
        { path: where, op },
        { cause: e },
      );
    }
    throw new StoreError(
      'STORE_IO',
      `baseline store: ${op} ${where} failed: ${(e as Error).message}`,
      { path: where, op },
      { cause: e },
    );
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    const walk = async (relDir: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(this.locate(relDir), { withFileTypes: true });
      } catch (e) {
        if (errno(e) === 'ENOENT') return; // nothing stored yet
        this.fail('list', relDir, e);
      }
      for (const ent of entries) {
        if (ent.name.startsWith('.')) continue; // temp files of writes in progress
        const rel = relDir === '' ? ent.name : `${relDir}/${ent.name}`;
        if (ent.isDirectory()) await walk(rel);
        else if (ent.isFile()) out.push({ key: rel });
      }
    };
    await walk(prefix.replace(/\/+$/, ''));
    return out;
  }

  async read(key: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.locate(key));
    } catch (e) {
      this.fail('read', key, e);
    }
  }

  async createNew(key: string, data: Buffer): Promise<'created' | 'exists'> {
    const final = this.locate(key);
    const dir = path.dirname(final);
    try {
      await fs.mkdir(dir, { recursive: true });
    } catch (e) {
      this.fail('create folder for', key, e);
    }
    const tmp = path.join(dir, `.tmp-${process.pid}-${randomUUID()}`);
    try {
      const fh = await fs.open(tmp, 'wx');
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      try {
        await fs.link(tmp, final); // atomic, and refuses to replace an existing name
        return 'created';
      } catch (e) {
        const code = errno(e);
        if (code === 'EEXIST') return 'exists';
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
      }
      // Filesystems without hard links: exclusive create still refuses to overwrite (not atomic for readers).
      try {
        const fh2 = await fs.open(final, 'wx');
        try {
          await fh2.writeFile(data);
          await fh2.sync();
        } finally {
          await fh2.close();
        }
        return 'created';
      } catch (e) {
        if (errno(e) === 'EEXIST') return 'exists';
        throw e;
      }
    } catch (e) {
      if (e instanceof StoreError) throw e;
      this.fail('write', key, e);
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  async copyNew(from: string, to: string): Promise<'created' | 'exists'> {
    return this.createNew(to, await this.read(from));
  }

  hashData(data: Buffer): string {
    return createHash('sha256').update(data).digest('base64');
  }

  async hashOf(key: string): Promise<string> {
    return this.hashData(await this.read(key));
  }

  async remove(key: string): Promise<void> {
    try {
      await fs.unlink(this.locate(key));
    } catch (e) {
      if (errno(e) === 'ENOENT') return; // already moved by a concurrent prune
      this.fail('delete', key, e);
    }
  }
}
