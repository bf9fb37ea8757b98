#!/usr/bin/env python3
"""How much of an A/B pair's noise a machine-speed covariate explains (issue 18, next lever).

Reads A/B results files (`collector-bench validate pr --out-dir DIR` writes one per comparison) and,
for every complete interleaved pair, the log-ratios (candidate / baseline, in %) of the collector's
CPU per 1,000 delivered events and of two figures each run records beside it that the collector
under test does not spend: the workloads' own CPU % (their cgroups' CPU less the BPF programs' run
time, the covariate of `compare.covariate: workloads`) and the harness's own CPU % (`run.context`). Both
arms of a pair run the same seeded work, so those two move with how fast the machine was in that
run (frequency, other tenants), not with the collector. Duet pairs are left out: both arms share
one window, so the covariates cancel.

Per comparison it prints the mean log-ratio of each figure (a covariate the treatment moves would
show here under a knob); pooled over comparisons, each centred on its own mean, the correlation
of the collector's figure with each covariate, the slope, and the residual SD against the raw SD.

    python3 scripts/analysis/pair-covariates.py DIR/*.json
    python3 scripts/analysis/pair-covariates.py 'docs/validate-results/*-aa-*.json.gz'   # the committed A/A files

The budgeted design's looks use the workloads' figure (src/stats/covariate-adjustment.ts); this
script is how its correlation and slope were measured.
"""
import glob
import gzip
import json
import math
import statistics as st
import sys


def pair_rows(path):
    with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
        result = json.load(f)
    if result.get("mode") != "ab" or (result.get("config", {}).get("ab") or {}).get("design") == "duet":
        return None
    pairs = {}
    for run in result["runs"]:
        if run.get("warmupRun") or run.get("pair") is None or not run.get("valid"):
            continue
        per_event = (run.get("eventCost") or {}).get("cpuMsPer1000Events")
        ctx = run.get("context") or {}
        bpf = run.get("bpf") or {}
        # The workloads' own CPU, as the product's covariate (src/stats/sequential-decide.ts
        # workloadOwnCpu): their cgroups' CPU less the BPF programs' run time, which the collector spends.
        workloads = ctx.get("workloadCpuPercent")
        own = workloads - bpf["cpuPercent"] if bpf.get("available") and isinstance(workloads, (int, float)) and isinstance(bpf.get("cpuPercent"), (int, float)) else None
        figures = (per_event, own, ctx.get("harnessCpuPercent"))
        if all(isinstance(x, (int, float)) and x > 0 for x in figures):
            pairs.setdefault(run["pair"], {})[run["arm"]] = figures
    return [
        [100 * math.log(v["candidate"][i] / v["baseline"][i]) for i in range(3)]
        for _, v in sorted(pairs.items())
        if "baseline" in v and "candidate" in v
    ]


def main(paths):
    names = ("per-event", "workloads", "harness")
    centred = [[], [], []]
    for path in paths:
        if path.endswith(".comparison.json"):
            continue
        rows = pair_rows(path)
        if not rows or len(rows) < 3:
            continue
        means = [st.mean(r[i] for r in rows) for i in range(3)]
        print(f"{path.split('/')[-1]}: {len(rows)} pairs, mean log-ratio %: "
              + ", ".join(f"{n} {m:+.1f}" for n, m in zip(names, means)))
        for r in rows:
            for i in range(3):
                centred[i].append(r[i] - means[i])
    y = centred[0]
    if len(y) < 3:
        sys.exit("fewer than 3 interleaved pairs with all three figures")
    print(f"pooled: {len(y)} pairs, SD of the collector's per-event log-ratio {st.stdev(y):.2f}%")
    for name, x in zip(names[1:], centred[1:]):
        cov = sum(a * b for a, b in zip(y, x)) / (len(y) - 1)
        slope = cov / st.variance(x)
        corr = cov / (st.stdev(y) * st.stdev(x))
        resid = st.stdev([a - slope * b for a, b in zip(y, x)])
        print(f"  {name}: correlation {corr:.2f}, slope {slope:.2f}, residual SD {resid:.2f}% "
              f"(variance {100 * (1 - (resid / st.stdev(y)) ** 2):.0f}% lower)")


if __name__ == "__main__":
    args = [p for a in sys.argv[1:] for p in sorted(glob.glob(a))]
    if not args:
        sys.exit(__doc__)
    main(args)
