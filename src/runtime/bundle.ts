/**
 * Bundles a TypeScript entry (the reference collector, the workload generator) into one ESM file
 * that runs on the bare Node base image, which has no node_modules.
 */
import { build } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

// CommonJS dependencies (grpc-js, protobufjs) call require() for Node built-ins; an ESM bundle
// has no require, so the bundle creates one.
const REQUIRE_SHIM =
  "import { createRequire as __cbCreateRequire } from 'node:module'; const require = __cbCreateRequire(import.meta.url);";

export async function bundleEntry(entry: string, outfile: string): Promise<void> {
  await mkdir(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: REQUIRE_SHIM },
    logLevel: 'error',
    sourcemap: false,
    legalComments: 'none',
  });
}
