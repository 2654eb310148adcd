#!/usr/bin/env python3
"""Summarises `perf script` output (demangled with `swift demangle --simplified`) by where the time went.

    perf script -i perf.data -F comm,tid,ip,sym | swift demangle --simplified | perf_summary.py [TOP]

Each sample is charged to the outermost frame that matches one of CATEGORIES (so a template evaluated while
building the log counts as the log); samples matching none are listed by their leaf symbol.
"""
import collections
import re
import sys

# (label, regular expression on a demangled frame), most specific purpose first.
CATEGORIES = [
    ("startup: dynamic loading", r"_dl_(map_object|relocate_object|start|catch_exception|init)|dl_main|_dl_sysdep_start"),
    ("Vault.open (key check, data keys, migrations check)", r"static Vault\.open\(at:key:options:\)"),
    ("revalidate: per-run log built and redacted", r"FlowRun\.appendLog"),
    ("revalidate: spec compiled again for every run", r"CompiledFlow\.init"),
    ("revalidate: Redactor.init (secrets' derived forms)", r"Redactor\.init"),
    ("revalidate: error message redacted", r"Redactor\.redact"),
    ("revalidate: request built (templates, URL policy)", r"RequestBuilder\.build"),
    ("revalidate: response parsed", r"ResponseParser\."),
    ("revalidate: response templates (data, metadata, uid, error)", r"FlowRun\.(check|collect)\("),
    ("revalidate: libcurl engine thread", r"CurlEngine\.run\(\)"),
    ("revalidate: results recorded (SQL, seal, fsync)", r"Vault\.record\("),
    ("revalidate: connections + secrets loaded", r"Vault\.prepareRuns"),
    ("revalidate: spec cache", r"SpecCache\.lookup"),
    ("list: rows read into Connection values", r"Database\.connections\(|Vault\.connections\("),
    ("CLI: JSON documents built", r"JSONDocuments\.|Timestamps\.iso8601"),
    ("CLI: JSON/table text written", r"compactJSON|JSONWriter|Table\.|StandardStreams\."),
    ("CLI: revalidate results output", r"RevalidateCommand\.run|ResultsOutput\."),
    ("hot path: Vault.data(of:)", r"Vault\.data\(of:\)"),
]
COMPILED = [(label, re.compile(pattern)) for label, pattern in CATEGORIES]


def samples(lines):
    stack = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if stack:
                yield stack
            stack = []
            continue
        if line.startswith("\t") or line.startswith(" "):
            parts = line.strip().split(" ", 1)
            stack.append(parts[1] if len(parts) > 1 else parts[0])
    if stack:
        yield stack


def main():
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    counts = collections.Counter()
    leaves = collections.Counter()
    total = 0
    for stack in samples(sys.stdin):  # leaf first
        total += 1
        label = None
        for frame in reversed(stack):  # root first: the outermost match wins
            for name, pattern in COMPILED:
                if pattern.search(frame):
                    label = name
                    break
            if label:
                break
        if label is None:
            kernel = all(f.startswith(("[k]",)) or re.match(r"^(__|do_|entry_|x64_|ksys_)", f) for f in stack[:1])
            label = "other"
            leaves[stack[0][:110]] += 1
        counts[label] += 1
    print(f"{total} samples")
    for label, count in counts.most_common():
        print(f"{100 * count / total:6.1f}%  {label}")
    print(f"\nother, by leaf symbol (top {top}):")
    for leaf, count in leaves.most_common(top):
        print(f"{100 * count / total:6.1f}%  {leaf}")


if __name__ == "__main__":
    main()
