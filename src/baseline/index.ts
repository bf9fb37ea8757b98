/** The baseline stores (folder and GCS) and the `baseline` subcommands. */
export { envKey, kernelLine, DEFAULT_ENV_KEY_FIELDS, ENV_KEY_FIELDS, type EnvKeyField } from './env-key.js';
export { type StoredRef } from './layout.js';
export {
  openStore,
  parseStoreSpec,
  ObjectBaselineStore,
  DEFAULT_BASELINE_SIZE,
  type BaselineStore,
  type ListOptions,
  type OpenStoreOptions,
  type PutResult,
  type StoreSpec,
} from './store.js';
export type { GcsStoreOptions, GcsRetryOptions } from './gcs-store.js';
export {
  baselineList,
  baselineUpdate,
  baselinePrune,
  formatBaselineListing,
  isMainRef,
  type BaselineListing,
  type BaselineUpdateOptions,
  type BaselineUpdateOutcome,
  type BaselinePruneOutcome,
  type ListedRef,
} from './commands.js';
