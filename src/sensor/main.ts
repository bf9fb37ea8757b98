/**
 * Standalone mock sensor: `npx tsx src/sensor/main.ts --grpc 127.0.0.1:9999 --http 127.0.0.1:9998
 * --objects <dir> --mode serve`. See sensor-process.ts for the options and the stdout protocol.
 */
import { isBenchError } from '../errors.js';
import { runMockSensorProcess } from './sensor-process.js';

runMockSensorProcess(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`mock sensor: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(isBenchError(err) ? err.exitCode : 1);
  },
);
