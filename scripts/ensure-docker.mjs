#!/usr/bin/env node
// Starts a Docker engine when none answers, the way these machines allow it: no bridge and no
// iptables (containers use host or no networking). Prints the pid of the daemon it started, or
// nothing when one was already answering, so a caller knows what it must stop.
import { spawn } from 'node:child_process';
import { $, fs, sleep, which } from 'zx';

$.verbose = false;
const answers = async () => (await $`docker info`.nothrow().quiet()).exitCode === 0;

if (!(await answers())) {
  if (!(await which('dockerd', { nothrow: true }))) {
    console.error('dockerd is not installed (apt-get install -y docker.io, or node scripts/setup-host.mjs)');
    process.exit(1);
  }
  const log = process.env.DOCKERD_LOG ?? '/tmp/collector-bench-dockerd.log';
  const out = fs.openSync(log, 'a');
  const daemon = spawn('dockerd', ['--bridge=none', '--iptables=false', '--ip6tables=false'], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  daemon.unref();
  let exited = false;
  daemon.on('exit', () => (exited = true));
  for (let i = 0; i < 60; i++) {
    if (await answers()) {
      console.log(String(daemon.pid));
      process.exit(0);
    }
    if (exited) {
      console.error(`dockerd exited; see ${log}\n${(await $`tail -20 ${log}`.nothrow()).stdout}`);
      process.exit(1);
    }
    await sleep(1000);
  }
  console.error(`dockerd did not answer within 60 s; see ${log}`);
  process.exit(1);
}
