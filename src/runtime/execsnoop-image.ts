/**
 * A third-party eBPF agent as a local image: `execsnoop` from Debian's libbpf-tools (a CO-RE
 * program: it needs the kernel's BTF, not its headers), built like every other image here from the
 * host's own binaries (rootfs-image.ts). Nobody on this project wrote it and it speaks no StackRox
 * protocol; it shows what it saw the way many agents do:
 *  - one line per exec on stdout (`PCOMM PID PPID RET ARGS`, after a header line once attached),
 *    line-buffered through `stdbuf` so each event reaches the log as it happens;
 *  - unless EXECSNOOP_HTTP=off, busybox httpd on loopback answering `/ready` with {"status":"ok"}
 *    once the header is out (READY_PORT, default 8080) and a Prometheus counter of the lines,
 *    `execsnoop_events_total`, at `/cgi-bin/metrics` (METRICS_PORT, default 9090).
 * Arguments are passed to execsnoop.
 */
import type Docker from 'dockerode';
import { existsSync } from 'node:fs';
import { RuntimeError } from '../errors.js';
import { hostBusybox } from './images.js';
import { buildRootfsImage, type BuiltImage, type RootfsSpec } from './rootfs-image.js';

export const EXECSNOOP_IMAGE = 'collector-bench/execsnoop';
export const EXECSNOOP_APT_PACKAGE = 'libbpf-tools';
const EXECSNOOP = '/usr/sbin/execsnoop';
const STDBUF = '/usr/bin/stdbuf';
const LIBSTDBUF = '/usr/libexec/coreutils/libstdbuf.so';
const APPLETS = ['sh', 'httpd', 'tee', 'wc', 'grep', 'sleep', 'mkdir', 'cat', 'kill', 'true'];

/**
 * The entrypoint. The shell waits on its children (rather than running the pipeline in the
 * foreground) so that docker's SIGTERM reaches the trap at once instead of after the grace period.
 */
const ENTRYPOINT = `#!/bin/sh
trap 'kill $pipeline $metrics $ready 2>/dev/null; exit 0' TERM INT
if [ "\${EXECSNOOP_HTTP:-on}" = off ]; then
  # Nothing else in the container: what is measured is execsnoop's own cost.
  stdbuf -oL ${EXECSNOOP} "$@" 2>&1 &
  pipeline=$!
else
  # The counter is the number of lines printed, so they are kept in a file too.
  log=/tmp/execsnoop-events.log
  : > "$log"
  stdbuf -oL ${EXECSNOOP} "$@" 2>&1 | tee -a "$log" &
  pipeline=$!
  mkdir -p /www/ready /www/metrics/cgi-bin
  cat > /www/metrics/cgi-bin/metrics <<'CGI'
#!/bin/sh
lines=$(wc -l < /tmp/execsnoop-events.log)
[ "$lines" -gt 0 ] && lines=$((lines - 1))
printf 'Content-Type: text/plain; version=0.0.4\\r\\n\\r\\n'
printf '# HELP execsnoop_events_total exec events execsnoop printed\\n# TYPE execsnoop_events_total counter\\n'
printf 'execsnoop_events_total %s\\n' "$lines"
CGI
  chmod 755 /www/metrics/cgi-bin/metrics
  httpd -f -p "127.0.0.1:\${METRICS_PORT:-9090}" -h /www/metrics &
  metrics=$!
  until grep -q '^PCOMM' "$log"; do sleep 0.1; done
  echo '{"status":"ok"}' > /www/ready/ready
  httpd -f -p "127.0.0.1:\${READY_PORT:-8080}" -h /www/ready &
  ready=$!
fi
wait $pipeline
`;

/** What is missing on this host to build the image, or null when it can be built. */
export function execsnoopMissing(): string | null {
  if (!existsSync(EXECSNOOP))
    return `${EXECSNOOP} is not installed (apt-get install ${EXECSNOOP_APT_PACKAGE}, or npm run setup-host)`;
  if (!existsSync(STDBUF) || !existsSync(LIBSTDBUF)) return `${STDBUF} and ${LIBSTDBUF} (coreutils) are missing`;
  if (!hostBusybox()) return 'busybox is not installed (apt-get install busybox-static)';
  return null;
}

/**
 * @param lineBuffered false packs execsnoop as it comes, without stdbuf: block-buffered on the
 *   container's pipe, as a foreign image often is (the tests' case for log delivery's buffering rule)
 */
export function execsnoopImageSpec({ lineBuffered = true }: { lineBuffered?: boolean } = {}): RootfsSpec {
  const busybox = hostBusybox()!;
  const entrypoint = lineBuffered ? ENTRYPOINT : ENTRYPOINT.replaceAll('stdbuf -oL ', '');
  return {
    name: lineBuffered ? EXECSNOOP_IMAGE : `${EXECSNOOP_IMAGE}-unbuffered`,
    hostBinaries: [EXECSNOOP, STDBUF, LIBSTDBUF, busybox],
    files: [{ path: '/usr/local/bin/execsnoop-agent', content: entrypoint, mode: 0o755 }],
    symlinks: [
      ...(busybox === '/bin/busybox' ? [] : [{ path: '/bin/busybox', target: busybox }]),
      ...APPLETS.map((a) => ({ path: `/bin/${a}`, target: '/bin/busybox' })),
    ],
    changes: ['ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', 'ENTRYPOINT ["/usr/local/bin/execsnoop-agent"]'],
  };
}

/** Builds (or reuses) `collector-bench/execsnoop:local`; says what to install when it cannot. */
export async function ensureExecsnoopImage(docker: Docker, log?: (m: string) => void): Promise<BuiltImage> {
  const missing = execsnoopMissing();
  if (missing) throw new RuntimeError(`cannot build ${EXECSNOOP_IMAGE}: ${missing}`, { image: EXECSNOOP_IMAGE });
  return buildRootfsImage(docker, execsnoopImageSpec(), log);
}
