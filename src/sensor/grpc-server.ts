/**
 * The collector-facing gRPC side of the mock sensor: sensor.SignalService/PushSignals and
 * sensor.NetworkConnectionInfoService/PushNetworkConnectionInfo, both bidirectional streams as
 * upstream declares them. The sensor reads and counts; it never writes to the response streams
 * (as the real Sensor's signal service), and ends a stream when the collector half-closes.
 */
import * as grpc from '@grpc/grpc-js';
import { RuntimeError } from '../errors.js';
import { formatHostPort, type HostPort } from './loopback.js';
import { classifyNetworkInfoMessage, classifySignalStreamMessage } from './messages.js';
import { loadSensorServices } from './protos.js';
import type { SignalRecorder } from './signal-recorder.js';

export interface RunningGrpcServer {
  host: string;
  port: number;
  address: string;
  /** Cancels open streams and closes the listener; resolves once the port is free. */
  stop(): Promise<void>;
}

function trackStream(call: grpc.ServerDuplexStream<unknown, unknown>, recorder: SignalRecorder): void {
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    recorder.streamClosed();
  };
  call.on('end', () => {
    close();
    // The collector half-closed: finish our side with OK.
    call.end();
  });
  call.on('cancelled', close);
  call.on('error', close);
  call.on('close', close);
}

export async function startGrpcServer(listen: HostPort, recorder: SignalRecorder): Promise<RunningGrpcServer> {
  const services = loadSensorServices();
  const server = new grpc.Server();

  server.addService(services.signalService, {
    PushSignals(call: grpc.ServerDuplexStream<unknown, unknown>) {
      const stream = recorder.streamOpened('signal');
      trackStream(call, recorder);
      call.on('data', (msg: Record<string, unknown>) =>
        recorder.onSignalMessage(classifySignalStreamMessage(msg), stream),
      );
    },
  });
  server.addService(services.networkService, {
    PushNetworkConnectionInfo(call: grpc.ServerDuplexStream<unknown, unknown>) {
      recorder.streamOpened('network');
      trackStream(call, recorder);
      call.on('data', (msg: Record<string, unknown>) => recorder.onNetworkMessage(classifyNetworkInfoMessage(msg)));
    },
  });

  const target = formatHostPort(listen.host, listen.port);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(target, grpc.ServerCredentials.createInsecure(), (err, boundPort) => {
      if (err) {
        reject(
          new RuntimeError(
            `mock sensor: cannot listen for gRPC on ${target}: ${err.message}`,
            { address: target },
            { cause: err },
          ),
        );
      } else resolve(boundPort);
    });
  });

  let stopped: Promise<void> | undefined;
  return {
    host: listen.host,
    port,
    address: formatHostPort(listen.host, port),
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        // Collectors keep their streams open for ever, so a graceful tryShutdown would wait for
        // ever: cancel the calls first, then let tryShutdown report when the listener is closed.
        server.forceShutdown();
        server.tryShutdown(() => resolve());
      });
      return stopped;
    },
  };
}
