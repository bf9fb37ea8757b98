#!/bin/sh
# bpftrace with every capability dropped: how the `driver-load-fails` scenario takes the kernel
# privileges away from the reference collector in the process runtime (the docker runtime starts
# the container with no capabilities and no tracefs mounts instead). The bounding set and the
# inheritable set are emptied before exec, so even as root the new bpftrace has no capability and
# fails the way an unprivileged agent does (the kernel refuses tracefs/BPF).
real="${COLLECTOR_BENCH_REAL_BPFTRACE:-$(command -v bpftrace || echo /usr/bin/bpftrace)}"
exec setpriv --bounding-set -all --inh-caps -all -- "$real" "$@"
