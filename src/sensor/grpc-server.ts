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

/**
 * The service with its requests handed over as received (bytes): the recorder's intake decides
 * whether a message is decoded at all (signal-recorder.ts), and `decode` does it when so.
 */
function rawRequests(service: grpc.ServiceDefinition, method: string) {
  const definition = service[method];
  const raw: grpc.ServiceDefinition = { [method]: { ...definition, requestDeserialize: (bytes: Buffer) => bytes } };
  const decode = (bytes: Buffer) => definition.requestDeserialize(bytes) as Record<string, unknown>;
  return { raw, decode };
}

export async function startGrpcServer(listen: HostPort, recorder: SignalRecorder): Promise<RunningGrpcServer> {
  const services = loadSensorServices();
  const server = new grpc.Server();
  const signals = rawRequests(services.signalService, 'PushSignals');
  const network = rawRequests(services.networkService, 'PushNetworkConnectionInfo');

  server.addService(signals.raw, {
    PushSignals(call: grpc.ServerDuplexStream<Buffer, unknown>) {
      const stream = recorder.streamOpened('signal');
      trackStream(call, recorder);
      call.on('data', (bytes: Buffer) => {
        if (recorder.take('signal', bytes))
          recorder.onSignalMessage(classifySignalStreamMessage(signals.decode(bytes)), stream);
      });
    },
  });
  server.addService(network.raw, {
    PushNetworkConnectionInfo(call: grpc.ServerDuplexStream<Buffer, unknown>) {
      recorder.streamOpened('network');
      trackStream(call, recorder);
      call.on('data', (bytes: Buffer) => {
        if (recorder.take('network', bytes))
          recorder.onNetworkMessage(classifyNetworkInfoMessage(network.decode(bytes)));
      });
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
