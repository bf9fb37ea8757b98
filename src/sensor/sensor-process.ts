/**
 * Running the mock sensor as its own process: argument parsing and the signal handling that
 * `main.ts` (and a CLI subcommand, if the lead wires one) use.
 *
 * stdout protocol, one JSON object per line:
 *   {"event":"ready","grpc":"127.0.0.1:9999","http":"127.0.0.1:9998","pid":123}   once listening
 *   {"event":"counts", ...SensorCounts}                                          on SIGUSR2, and on
 *                                                                                SIGTERM/SIGINT just before exit 0
 */
import { parseArgs } from 'node:util';
import { InvalidInputError } from '../errors.js';
import { DRIVER_MODES, parseDriverBehaviour } from './kernel-object-server.js';
import { parseHostPort } from './loopback.js';
import {
  DEFAULT_GRPC_PORT,
  DEFAULT_HOST,
  DEFAULT_HTTP_PORT,
  MockSensor,
  type MockSensorOptions,
} from './mock-sensor.js';

const SOURCE = 'mock sensor arguments';

export const SENSOR_USAGE = `usage: tsx src/sensor/main.ts [options]
  --grpc <host:port>        gRPC listen address (default ${DEFAULT_HOST}:${DEFAULT_GRPC_PORT}; port 0 = any free port)
  --http <host:port|off>    kernel-object HTTP address (default ${DEFAULT_HOST}:${DEFAULT_HTTP_PORT})
  --objects <dir>           folder of kernel objects (<version>/<name>[.gz] or <name>[.gz])
  --mode <mode>             ${DRIVER_MODES.join(' | ')} (default serve)
  --failures <k>            error5xxThenServe: failing requests before serving
  --status <5xx>            error5xxThenServe: status of the failures (default 503)
  --delay-ms <ms>           slow: delay before each response
  --max-kept-signals <n>    process signals kept in memory (default 200000)
Prints {"event":"ready",...} when listening and {"event":"counts",...} on SIGUSR2 and on SIGTERM/SIGINT.`;

function intOption(key: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new InvalidInputError(SOURCE, key, text, 'a non-negative integer');
  return Number(text);
}

export function parseSensorArgs(argv: string[]): MockSensorOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        grpc: { type: 'string' },
        http: { type: 'string' },
        objects: { type: 'string' },
        mode: { type: 'string' },
        failures: { type: 'string' },
        status: { type: 'string' },
        'delay-ms': { type: 'string' },
        'max-kept-signals': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new InvalidInputError(SOURCE, 'argv', argv.join(' '), 'the options listed in --help', (err as Error).message);
  }

  const options: MockSensorOptions = {};
  if (values.grpc !== undefined) {
    const hp = parseHostPort(SOURCE, '--grpc', values.grpc);
    options.grpcHost = hp.host;
    options.grpcPort = hp.port;
  }
  if (values.http === 'off') options.http = false;
  else if (values.http !== undefined) {
    const hp = parseHostPort(SOURCE, '--http', values.http);
    options.httpHost = hp.host;
    options.httpPort = hp.port;
  }
  if (values.objects !== undefined) options.objectsDir = values.objects;

  const mode = values.mode ?? 'serve';
  const behaviour: Record<string, unknown> = { mode };
  if (mode === 'error5xxThenServe') {
    behaviour['failures'] = intOption('--failures', values.failures);
    if (values.status !== undefined) behaviour['status'] = intOption('--status', values.status);
  }
  if (mode === 'slow') behaviour['delayMs'] = intOption('--delay-ms', values['delay-ms']);
  options.driverBehaviour = parseDriverBehaviour(SOURCE, behaviour);

  const maxKept = intOption('--max-kept-signals', values['max-kept-signals']);
  if (maxKept !== undefined) options.maxKeptSignals = maxKept;
  return options;
}

export interface SensorProcessIo {
  write(line: string): void;
}

/**
 * Starts a sensor from `argv` and resolves with an exit code once SIGTERM or SIGINT has stopped
 * it (after printing its counts). Rejects if the arguments are invalid or a port is taken.
 */
export async function runMockSensorProcess(
  argv: string[],
  io: SensorProcessIo = { write: (l) => process.stdout.write(l) },
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.write(`${SENSOR_USAGE}\n`);
    return 0;
  }
  const sensor = new MockSensor(parseSensorArgs(argv));
  const addresses = await sensor.start();
  io.write(`${JSON.stringify({ event: 'ready', ...addresses, pid: process.pid })}\n`);

  const printCounts = (): void => io.write(`${JSON.stringify({ event: 'counts', ...sensor.counts() })}\n`);
  process.on('SIGUSR2', printCounts);
  return new Promise<number>((resolve) => {
    const finish = (): void => {
      process.off('SIGTERM', finish);
      process.off('SIGINT', finish);
      process.off('SIGUSR2', printCounts);
      // Counts first: stop() cancels the streams, and nothing arrives after this point anyway.
      printCounts();
      void sensor.stop().then(() => resolve(0));
    };
    process.on('SIGTERM', finish);
    process.on('SIGINT', finish);
  });
}
