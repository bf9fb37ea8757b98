#!/usr/bin/env bash
# Optional host setup for the full benchmark (run as root on Debian/Ubuntu): a Docker engine and
# bpftrace from the distribution, the tracing filesystems, and a running dockerd. Without it
# `npm run bench` still works, as local processes with the procfs collection method.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v bpftrace >/dev/null 2>&1 || need+=(bpftrace)
[ -x /bin/busybox ] || need+=(busybox-static)
for extra in "$@"; do command -v "$extra" >/dev/null 2>&1 || need+=("$extra"); done
if ((${#need[@]})); then
  echo "setup-host: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/collector-bench-apt.log 2>&1 || { tail -50 /tmp/collector-bench-apt.log >&2; exit 1; }
fi
bash scripts/ensure-tracefs.sh
bash scripts/ensure-docker.sh
