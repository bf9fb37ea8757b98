/**
 * Ctrl-C and SIGTERM remove everything the harness started before it exits. Handlers are installed
 * once per process and run the registered cleanups in reverse order.
 */
import { EXIT_CODES } from '../errors.js';

type Cleanup = () => Promise<void>;

const cleanups = new Set<Cleanup>();
let installed = false;
let exiting = false;

async function runAll(): Promise<void> {
  for (const fn of [...cleanups].reverse()) {
    try {
      await fn();
    } catch {
      /* keep cleaning */
    }
  }
}

export function onCleanup(fn: Cleanup): () => void {
  cleanups.add(fn);
  if (!installed) {
    installed = true;
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(sig, () => {
        if (exiting) return;
        exiting = true;
        process.stderr.write(`\ncollector-bench: ${sig} received, removing what this run started...\n`);
        void runAll().finally(() => process.exit(sig === 'SIGINT' ? EXIT_CODES.interrupted : EXIT_CODES.terminated));
      });
    }
  }
  return () => cleanups.delete(fn);
}
