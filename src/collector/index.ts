/** Public surface of the reference collector for the harness (the program itself is main.ts). */
export { loadCollectorConfig, COLLECTION_METHODS } from './config.js';
export type { CollectorConfig, CollectionMethod } from './config.js';
export { runCollector } from './collector.js';
export { createLogger, formatLogLine } from './log.js';
export type { Logger, LogLevel } from './log.js';
export { builtInDriverPath, writeDriverForSensor, driverFileName } from './driver-files.js';
export { diagnosticsLines } from './startup/diagnostics.js';
