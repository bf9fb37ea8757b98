/**
 * Images assembled from the host's own binaries. No registry is reachable on the machines we run on,
 * so there is no base image to pull: instead we put the binaries we need (node, busybox, bpftrace)
 * and their shared libraries (the `ldd` closure) into a root filesystem and `docker import` it.
 * The image is tagged with a hash of its inputs and only rebuilt when they change.
 */
import type Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import * as tar from 'tar';
import { RuntimeError } from '../errors.js';

export interface RootfsFile {
  path: string; // absolute path inside the image
  content: string | Buffer;
  mode?: number;
}

export interface RootfsSpec {
  /** Repository name, e.g. `collector-bench/node-base`. Tags: `<hash12>` and `local`. */
  name: string;
  /** Host executables copied to the same path, with every shared library `ldd` lists. */
  hostBinaries: string[];
  /** Host directories copied (dereferenced) to a path in the image. */
  trees?: { from: string; to: string }[];
  files?: RootfsFile[];
  symlinks?: { path: string; target: string }[];
  /** Dockerfile instructions applied on import: ENV, CMD, ENTRYPOINT, WORKDIR, LABEL. */
  changes?: string[];
}

export interface BuiltImage {
  ref: string; // name:hash
  localRef: string; // name:local
  id: string;
  hash: string;
  built: boolean; // false when an image with the same inputs already existed
}

export const INPUT_HASH_LABEL = 'collector-bench.input-hash';

/** The shared libraries a dynamically linked binary needs, as absolute paths (empty for static binaries). */
export function sharedLibraries(binary: string): string[] {
  let out: string;
  try {
    out = execFileSync('ldd', [binary], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return []; // "not a dynamic executable"
  }
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const arrow = line.match(/=>\s+(\/\S+)/);
    const bare = line.match(/^\s*(\/\S+)\s+\(/);
    if (arrow) libs.push(arrow[1]);
    else if (bare) libs.push(bare[1]);
  }
  return libs;
}

function walkFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walkFiles(full));
    else files.push(full);
  }
  return files.sort();
}

/**
 * A hash of everything that goes into the image. Host binaries are identified by path, size and
 * mtime (hashing 200 MB of LLVM on every run would cost seconds); generated files and trees by content.
 */
export function inputHash(spec: RootfsSpec): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ name: spec.name, changes: spec.changes ?? [], symlinks: spec.symlinks ?? [] }));
  const binaries = [...new Set(spec.hostBinaries.flatMap((b) => [b, ...sharedLibraries(b)]))].sort();
  for (const b of binaries) {
    const st = statSync(b);
    h.update(`${b}\0${st.size}\0${st.mtimeMs}\0`);
  }
  for (const tree of spec.trees ?? []) {
    for (const f of walkFiles(tree.from)) {
      h.update(`${tree.to}/${relative(tree.from, f)}\0`);
      h.update(readFileSync(f));
    }
  }
  for (const f of spec.files ?? []) {
    h.update(`${f.path}\0${f.mode ?? 0o644}\0`);
    h.update(f.content);
  }
  return h.digest('hex');
}

async function imageExists(docker: Docker, ref: string): Promise<string | null> {
  try {
    const info = await docker.getImage(ref).inspect();
    return info.Id;
  } catch {
    return null;
  }
}

function stageRootfs(spec: RootfsSpec, root: string): void {
  const place = (src: string, dest: string) => {
    const target = join(root, dest);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(src, target, { dereference: true, recursive: true });
  };
  for (const d of ['tmp', 'etc', 'bin', 'proc', 'sys', 'dev', 'app']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
  for (const b of spec.hostBinaries) {
    place(b, b);
    for (const lib of sharedLibraries(b)) place(lib, lib);
  }
  for (const tree of spec.trees ?? []) place(tree.from, tree.to);
  for (const f of spec.files ?? []) {
    const target = join(root, f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.content, { mode: f.mode ?? 0o644 });
  }
  for (const s of spec.symlinks ?? []) {
    const target = join(root, s.path);
    mkdirSync(dirname(target), { recursive: true });
    if (!existsSync(target)) symlinkSync(s.target, target);
  }
}

async function followProgress(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, events: Array<{ error?: string }>) => {
      const failed = events?.find((e) => e.error);
      if (err || failed) reject(err ?? new Error(failed?.error));
      else resolve();
    });
  });
}

/** Builds (or reuses) the image described by `spec`. */
export async function buildRootfsImage(
  docker: Docker,
  spec: RootfsSpec,
  log: (msg: string) => void = () => {},
): Promise<BuiltImage> {
  const hash = inputHash(spec);
  const tag = hash.slice(0, 12);
  const ref = `${spec.name}:${tag}`;
  const localRef = `${spec.name}:local`;
  const existing = await imageExists(docker, ref);
  if (existing) {
    await docker.getImage(ref).tag({ repo: spec.name, tag: 'local' });
    return { ref, localRef, id: existing, hash, built: false };
  }
  log(`building image ${ref}`);
  const root = join(tmpdir(), `collector-bench-rootfs-${process.pid}-${tag}`);
  rmSync(root, { recursive: true, force: true });
  try {
    stageRootfs(spec, root);
    const stream = tar.c({ cwd: root, portable: false, gzip: false }, ['.']);
    const changes = [...(spec.changes ?? []), `LABEL ${INPUT_HASH_LABEL}=${hash}`, 'LABEL collector-bench=1'];
    const res = (await docker.importImage(
      stream as unknown as NodeJS.ReadableStream,
      { repo: spec.name, tag, changes } as never,
    )) as unknown as NodeJS.ReadableStream;
    await followProgress(docker, res);
  } catch (e) {
    throw new RuntimeError(`could not build image ${ref}: ${(e as Error).message}`, { image: ref }, { cause: e });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const id = await imageExists(docker, ref);
  if (!id) throw new RuntimeError(`image ${ref} was imported but cannot be inspected`, { image: ref });
  await docker.getImage(ref).tag({ repo: spec.name, tag: 'local' });
  return { ref, localRef, id, hash, built: true };
}
