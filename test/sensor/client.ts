/**
 * A collector-like gRPC client built from the SAME .proto files as the mock sensor, for tests.
 */
import * as grpc from '@grpc/grpc-js';
import { loadSensorServices } from '../../src/sensor/protos.js';

export interface TestProcessSignal {
  id?: string;
  containerId?: string;
  time?: { seconds: number; nanos: number };
  name: string;
  args?: string;
  execFilePath?: string;
  pid?: number;
  uid?: number;
  gid?: number;
  scraped?: boolean;
  lineageInfo?: { parentUid: number; parentExecFilePath: string }[];
}

export interface TestNetworkInfo {
  connections: number;
  endpoints: number;
}

type Clients = {
  signals: grpc.Client & Record<string, (...args: unknown[]) => grpc.ClientDuplexStream<unknown, unknown>>;
  network: grpc.Client & Record<string, (...args: unknown[]) => grpc.ClientDuplexStream<unknown, unknown>>;
  close(): void;
};

export function connectClients(address: string): Clients {
  const s = loadSensorServices();
  const creds = grpc.credentials.createInsecure();
  const signals = new s.SignalServiceClient(address, creds) as Clients['signals'];
  const network = new s.NetworkConnectionInfoServiceClient(address, creds) as Clients['network'];
  return {
    signals,
    network,
    close() {
      signals.close();
      network.close();
    },
  };
}

/** Resolves with the call's final status once the server has ended the stream. */
function finished(call: grpc.ClientDuplexStream<unknown, unknown>): Promise<grpc.StatusObject> {
  return new Promise((resolve) => {
    call.on('status', resolve);
    // Errors (e.g. UNAVAILABLE) arrive as status too; swallow the duplicate 'error' event.
    call.on('error', () => undefined);
  });
}

/** Opens one PushSignals stream: a registration, then the signals, then half-close. */
export async function pushSignals(
  clients: Clients,
  signals: TestProcessSignal[],
  hostname = 'test-host',
): Promise<grpc.StatusObject> {
  const call = clients.signals['PushSignals']!() as grpc.ClientDuplexStream<unknown, unknown>;
  const done = finished(call);
  call.write({ collectorRegisterRequest: { hostname, instanceId: 'i-1' } });
  for (const signal of signals) call.write({ signal: { processSignal: signal } });
  call.end();
  return done;
}

/** Opens one PushNetworkConnectionInfo stream: a registration, then one info per entry, then half-close. */
export async function pushNetworkInfos(
  clients: Clients,
  infos: TestNetworkInfo[],
): Promise<{ status: grpc.StatusObject; received: unknown[] }> {
  const call = clients.network['PushNetworkConnectionInfo']!() as grpc.ClientDuplexStream<unknown, unknown>;
  const received: unknown[] = [];
  call.on('data', (m) => received.push(m));
  const done = finished(call);
  call.write({ register: { hostname: 'test-host', instanceId: 'i-1' } });
  for (const [i, info] of infos.entries()) {
    call.write({
      info: {
        updatedConnections: Array.from({ length: info.connections }, (_, k) => ({
          socketFamily: 'SOCKET_FAMILY_IPV4',
          localAddress: { addressData: Buffer.from([127, 0, 0, 1]), port: 40000 + k },
          remoteAddress: { addressData: Buffer.from([127, 0, 0, 1]), port: 8080 },
          protocol: 'L4_PROTOCOL_TCP',
          role: 'ROLE_CLIENT',
          containerId: `c${i}`,
        })),
        updatedEndpoints: Array.from({ length: info.endpoints }, (_, k) => ({
          socketFamily: 'SOCKET_FAMILY_IPV4',
          protocol: 'L4_PROTOCOL_TCP',
          listenAddress: { port: 1024 + k },
          containerId: `c${i}`,
        })),
        time: { seconds: 1_700_000_000 + i, nanos: 0 },
      },
    });
  }
  call.end();
  const status = await done;
  return { status, received };
}
