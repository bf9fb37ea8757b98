import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/baseline/store.js';
import { StoreError } from '../../src/errors.js';
import { at, storedResult } from '../support/result-files.js';
import { describeBaselineStore } from './store-spec.js';

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, r)));
    else out.push(r);
  }
  return out.sort();
}

describeBaselineStore('folder store', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'cb-baseline-'));
  const dir = path.join(root, 'baselines');
  const store = await openStore(dir);
  return {
    store,
    async plant(key, bytes) {
      const p = path.join(dir, ...key.split('/'));
      await fs.mkdir(path.dirname(p), { recursive: true });
      await fs.writeFile(p, bytes);
    },
    keys: () => listFiles(dir),
    close: () => fs.rm(root, { recursive: true, force: true }),
  };
});

describe('folder store specifics', () => {
  it('leaves no temp files behind and accepts file:// specs', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'cb-baseline-'));
    try {
      const store = await openStore(`file://${root}`);
      expect(store.location).toBe(root);
      await Promise.all([1, 2, 3].map((cpu) => store.put(storedResult({ createdAt: at(1), cpu }), { fromMain: true })));
      const all = await fs.readdir(path.join(root, 'default', 'linux-6.18_core_bpf_2cpu_x86_64'));
      expect(all.filter((f) => f.startsWith('.'))).toEqual([]);
      expect(all.length).toBe(3);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  it('reports a folder it cannot write as a StoreError naming the path', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'cb-baseline-'));
    try {
      const file = path.join(root, 'not-a-folder');
      await fs.writeFile(file, 'x');
      const store = await openStore(file);
      const err = await store.put(storedResult({ createdAt: at(1) }), { fromMain: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as Error).message).toContain(file);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
