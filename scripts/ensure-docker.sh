#!/usr/bin/env bash
# Starts a Docker engine when none answers, the way these machines allow it: no bridge, no iptables
# (containers use host or no networking). Prints the pid of the daemon it started, or nothing.
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
command -v dockerd >/dev/null || { echo "dockerd is not installed (apt-get install -y docker.io)" >&2; exit 1; }
log=${DOCKERD_LOG:-/tmp/collector-bench-dockerd.log}
nohup dockerd --bridge=none --iptables=false --ip6tables=false >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then echo "$pid"; exit 0; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "dockerd exited; see $log" >&2; tail -20 "$log" >&2; exit 1; fi
  sleep 1
done
echo "dockerd did not answer within 60 s; see $log" >&2
exit 1
