#!/usr/bin/env bash
# bpftrace needs tracefs (tracepoints) and debugfs; mount them when the host has not.
set -u
[ -d /sys/kernel/tracing ] && ! mountpoint -q /sys/kernel/tracing && mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
[ -d /sys/kernel/debug ] && ! mountpoint -q /sys/kernel/debug && mount -t debugfs nodev /sys/kernel/debug 2>/dev/null
exit 0
