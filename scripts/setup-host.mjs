#!/usr/bin/env node
// Host setup for the full benchmark (as root on Debian/Ubuntu): a Docker engine and bpftrace from
// the distribution, busybox for the images, execsnoop (libbpf-tools: the third-party eBPF agent of the
// tests and collectors/libbpf-execsnoop.yaml), the tracing filesystems, and a running dockerd.
// Extra commands to install may be named as arguments (`.ci/run` adds chromium for the HTML test).
// Prints the pid of a dockerd it started (nothing when one was running). Without this script
// `npm run bench` still works, as local processes with the procfs collection method.
import { $, fs, which } from 'zx';

$.verbose = false;
const here = new URL('.', import.meta.url).pathname;
const has = async (cmd) => Boolean(await which(cmd, { nothrow: true }));

// command on the host -> the Debian package that provides it
// bpftool: names of the collector's BPF programs in the run details (without it they are listed by id and type).
const wanted = {
  dockerd: 'docker.io',
  bpftrace: 'bpftrace',
  bpftool: 'bpftool',
  busybox: 'busybox-static',
  execsnoop: 'libbpf-tools',
};
// the images copy these from fixed paths, wherever PATH points
const fixedPath = { busybox: '/bin/busybox', execsnoop: '/usr/sbin/execsnoop' };
for (const extra of process.argv.slice(2)) wanted[extra] = extra;

const missing = [];
for (const [cmd, pkg] of Object.entries(wanted)) {
  const present = fixedPath[cmd] ? fs.existsSync(fixedPath[cmd]) : await has(cmd);
  if (!present) missing.push(pkg);
}
if (missing.length) {
  console.error(`setup-host: installing ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const logFile = '/tmp/collector-bench-apt.log';
  const apt = await $({ env })`apt-get update -qq && apt-get install -y -qq --no-install-recommends ${missing}`
    .nothrow()
    .quiet();
  fs.writeFileSync(logFile, apt.stdout + apt.stderr);
  if (apt.exitCode !== 0) {
    console.error(`setup-host: apt-get failed (log: ${logFile}):\n${apt.stderr.split('\n').slice(-50).join('\n')}`);
    process.exit(1);
  }
}

await $`node ${here}ensure-tracefs.mjs`;
const docker = await $`node ${here}ensure-docker.mjs`.nothrow();
process.stderr.write(docker.stderr);
if (docker.exitCode !== 0) process.exit(docker.exitCode ?? 1);
process.stdout.write(docker.stdout);
