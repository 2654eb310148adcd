#!/usr/bin/env python3
"""Where both cores sat idle during a run: reads `perf script -F comm,tid,time` of a system-wide recording
(`perf record -a`) on standard input and prints, per time slice, the share of samples of connvault's threads,
nginx, the idle task and anything else; the first line is the whole run.

    perf record -a -F 4000 -o all.data -- .build/release/connvault revalidate --all --concurrency 32 ...
    perf script -i all.data -F comm,tid,time | Benchmarks/lib/idle_slices.py [SLICE_SECONDS]

A CPU profile cannot show time nothing ran; this can (slices where `idle` is high while the run goes on are
stalls: a commit holding up loads, a closed window, the start and the end of the process).
"""
import collections
import sys

slice_seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 0.02
samples = []
for line in sys.stdin:
    fields = line.split()
    if len(fields) < 3:
        continue
    time, tid, command = float(fields[-1].rstrip(":")), fields[-2], " ".join(fields[:-2])
    if tid == "0":
        kind = "idle"
    elif "nginx" in command:
        kind = "nginx"
    elif command.startswith(("connvault", "r-initiated", "-qos.", "oot.default")):
        kind = "connvault"  # the process and its dispatch and engine threads
    else:
        kind = "other"
    samples.append((time, kind))
ours = [time for time, kind in samples if kind == "connvault"]
if not ours:
    sys.exit("no samples of connvault on standard input")
# From connvault's first sample to its last: `perf record -a` also records while it sets up and winds down.
start, end = min(ours), max(ours)
samples = [(time, kind) for time, kind in samples if start <= time <= end]
kinds = ["connvault", "nginx", "idle", "other"]
total = collections.Counter(kind for _, kind in samples)
slices = collections.defaultdict(collections.Counter)
for time, kind in samples:
    slices[int((time - start) / slice_seconds)][kind] += 1

def shares(counter):
    count = sum(counter.values())
    return "  ".join(f"{kind} {100 * counter[kind] / count:3.0f}%" for kind in kinds)

print(f"whole run, {end - start:.3f} s: {shares(total)}")
for index in sorted(slices):
    print(f"{index * slice_seconds:7.2f} s  {shares(slices[index])}")
