#!/usr/bin/env python3
"""Measurements and statistics for Benchmarks/run.

Benchmarks/run installs, builds, prepares the vaults and starts nginx; this file runs every figure, alternating
each measured command with its baseline, and prints a table and, last, one JSON document.

    bench.py measure CONFIG_JSON     run the figures described by CONFIG_JSON (written by Benchmarks/run)

Every process is started by Benchmarks/lib/measure.c (posix_spawn, then wait4), so one measurement gives both its
wall time (spawn to exit) and its peak resident set (ru_maxrss). Spawned from Python directly, a child's ru_maxrss
starts at Python's own peak (Linux keeps the old address space's high-water mark across exec): 32 MB at 100,000
connections, above both the sqlite3 baseline and a streaming `connvault list`.
"""
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

GOALS = {
    "hotpath": ("<=", 1.5),
    "list": ("<=", 3.0),
    "revalidate": (">=", 0.8),
    "memory-list": ("<=", 1.5),
    "memory-revalidate": ("<=", 1.5),
    "open": ("<=", 5.0),
}


def log(message):
    print(message, file=sys.stderr, flush=True)


class Failure(Exception):
    pass


MEASURE = None  # Benchmarks/out/measure (Benchmarks/lib/measure.c), set from the config
REPORT = None    # the file it reports to


def spawn(argv, env, stdout="/dev/null", stderr=None):
    """Runs argv to completion through measure; returns (seconds, peak RSS in KiB, exit status, CPU seconds).

    Dirty pages are written out first (`sync`, not timed): a revalidation leaves up to 80 MB of them (and each
    vault copy more), whose writeback otherwise overlapped whatever ran next — the next curl run, say."""
    os.sync()
    actions = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
    if stderr:
        actions.append((os.POSIX_SPAWN_OPEN, 2, stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    pid = os.posix_spawn(MEASURE, [MEASURE, REPORT, *argv], env, file_actions=actions)
    _, status, _ = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise Failure(f"measure could not run {argv[0]} (exit {os.waitstatus_to_exitcode(status)})")
    with open(REPORT) as report:
        nanoseconds, peak, code, cpu = (int(field) for field in report.read().split())
    return nanoseconds / 1e9, peak, code, cpu / 1e9


def checked(argv, env, what, ok=(0,), **kwargs):
    """Like spawn, for a command that must succeed; returns (seconds, peak RSS in KiB, CPU seconds)."""
    seconds, rss, code, cpu = spawn(argv, env, **kwargs)
    if code not in ok:
        detail = ""
        if kwargs.get("stderr") and os.path.exists(kwargs["stderr"]):
            detail = open(kwargs["stderr"], errors="replace").read()[-2000:]
        raise Failure(f"{what} exited {code}: {' '.join(argv)}\n{detail}")
    return seconds, rss, cpu


def nginx_cpu_seconds(work):
    """CPU seconds (user + system) nginx's worker processes have used so far, or None when they cannot be read."""
    try:
        with open(os.path.join(work, "nginx", "nginx.pid")) as f:
            master = int(f.read().split()[0])
        with open(f"/proc/{master}/task/{master}/children") as f:
            workers = [int(pid) for pid in f.read().split()]
        ticks = 0
        for pid in workers:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def summary(values, digits=3):
    values = list(values)
    return {"median": round(statistics.median(values), digits), "min": round(min(values), digits),
            "max": round(max(values), digits), "values": [round(v, digits) for v in values]}


def met(figure, ratio):
    sense, goal = GOALS[figure]
    return ratio <= goal if sense == "<=" else ratio >= goal


class Runner:
    def __init__(self, config):
        self.config = config
        self.bin = config["bin"]
        self.runs = config["runs"]
        self.open_runs = config["openRuns"]
        self.work = config["work"]
        # connvault finds its key through --key-file only: no $CONNVAULT_KEY, no default key file.
        base = {k: v for k, v in os.environ.items() if not k.startswith("CONNVAULT_")}
        base["HOME"] = self.work
        base["XDG_CONFIG_HOME"] = os.path.join(self.work, "config")
        base["XDG_DATA_HOME"] = os.path.join(self.work, "data")
        self.env = base
        self.sqlite3 = shutil.which("sqlite3")
        self.curl = shutil.which("curl")
        self.figures = []  # one dict per (figure, size)

    def connvault(self, size, *arguments, vault=None):
        entry = self.config["sizes"][str(size)]
        return [self.bin["connvault"], *arguments, "--vault", vault or entry["vault"], "--key-file", entry["keyFile"]]

    # MARK: Figures

    def hotpath(self, size):
        entry = self.config["sizes"][str(size)]
        iterations = max(1, self.config["hotpathReads"] // size)
        env = dict(self.env, CONNVAULT_KEY=open(entry["keyFile"]).read().strip())
        c, swift = [], []
        for run in range(self.runs):
            for argv, into in (([self.bin["hotpath"], entry["vault"], entry["ids"], str(iterations)], c),
                               ([self.bin["VaultBenchmark"], "read", entry["vault"], entry["ids"], str(iterations)], swift)):
                out = subprocess.run(argv, env=env, check=True, capture_output=True, text=True).stdout
                into.append(json.loads(out.strip().splitlines()[-1])["nsPerRead"])
        ratios = [s / b for s, b in zip(swift, c)]
        self.figures.append({
            "figure": "hotpath", "size": size, "unit": "ns per read", "readsPerRun": iterations * size,
            "baseline": summary(c, 1), "vault": summary(swift, 1), "ratio": summary(ratios),
            "ratioMeaning": "Vault.data(of:) time per read / C time per read"})

    def list_json(self, size):
        entry = self.config["sizes"][str(size)]
        sql = ("SELECT id, type_name, name, status, metadata_type, metadata_value, uid, verified_at, expires_at, "
               "last_error, spec_version, created_at, updated_at FROM connections ORDER BY id")
        baseline_argv = [self.sqlite3, "-init", "/dev/null", "-json", entry["vault"], sql]
        vault_argv = self.connvault(size, "list", "--json")
        base, vault, rss, base_rss = [], [], [], []
        out = os.path.join(self.work, "list.out")
        for run in range(self.runs):
            seconds, peak, _ = checked(baseline_argv, self.env, "sqlite3 -json", stdout=out)
            base.append(seconds)
            base_rss.append(peak)
            seconds, peak, _ = checked(vault_argv, self.env, "connvault list --json", stdout=out,
                                    stderr=os.path.join(self.work, "list.err"))
            vault.append(seconds)
            rss.append(peak)
        with open(out) as f:
            count = len(json.load(f))
        if count != size:
            raise Failure(f"connvault list --json printed {count} connections, expected {size}")
        ratios = [v / b for v, b in zip(vault, base)]
        self.figures.append({
            "figure": "list", "size": size, "unit": "seconds", "baseline": summary(base, 4), "vault": summary(vault, 4),
            "ratio": summary(ratios), "ratioMeaning": "connvault list --json wall time / sqlite3 -json wall time",
            "vaultPeakRssKiB": summary(rss, 0), "baselinePeakRssKiB": summary(base_rss, 0)})

    def revalidate_runs(self, size):
        """Runs of the revalidate figure at `size`: more at the small sizes, whose runs last tens of milliseconds, so
        that a few slow ones on either side move the median less (the median's expectation is the same)."""
        return self.runs * (4 if size <= 1000 else 2 if size <= 10000 else 1)

    def revalidate(self, size):
        entry = self.config["sizes"][str(size)]
        nginx = self.config["nginx"]
        curl_config = os.path.join(self.work, f"curl-{size}.cfg")
        with open(curl_config, "w") as f:
            line = f'url = "http://127.0.0.1:{nginx["port"]}/me"\noutput = "/dev/null"\n'
            f.write(line * size)
        codes = os.path.join(self.work, "curl.codes")
        curl_argv = [self.curl, "--parallel", "--parallel-max", "32", "--silent", "--show-error",
                     "--user", nginx["credentials"], "--config", curl_config, "--write-out", "%{http_code}\n"]
        copy = os.path.join(os.path.dirname(entry["revalidateBase"]), "revalidate.db")
        vault_argv = self.connvault(size, "revalidate", "--all", "--concurrency", "32", vault=copy)
        base, vault, rss, base_rss = [], [], [], []
        base_cpu, vault_cpu, nginx_base, nginx_vault = [], [], [], []
        for run in range(self.revalidate_runs(size)):
            seconds, peak, cpu = self.checked_with_nginx_cpu(
                nginx_base, curl_argv, self.env, "curl --parallel", stdout=codes,
                stderr=os.path.join(self.work, "curl.err"))
            base_cpu.append(cpu)
            with open(codes) as f:
                ok = sum(1 for line in f if line.strip() == "200")
            if ok != size:
                raise Failure(f"curl: {ok} of {size} requests answered 200")
            base.append(size / seconds)
            base_rss.append(peak)
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(copy + suffix):
                    os.unlink(copy + suffix)
            shutil.copyfile(entry["revalidateBase"], copy)
            os.chmod(copy, 0o600)
            seconds, peak, cpu = self.checked_with_nginx_cpu(
                nginx_vault, vault_argv, self.env, "connvault revalidate --all (0: every run valid)",
                stderr=os.path.join(self.work, "revalidate.err"))
            vault_cpu.append(cpu)
            vault.append(size / seconds)
            rss.append(peak)
        ratios = [v / b for v, b in zip(vault, base)]
        self.figures.append({
            "figure": "revalidate", "size": size, "unit": "requests per second", "baseline": summary(base, 1),
            "vault": summary(vault, 1), "ratio": summary(ratios),
            "ratioMeaning": "connvault revalidate --all --concurrency 32 requests/s / curl --parallel-max 32 requests/s",
            "vaultPeakRssKiB": summary(rss, 0), "baselinePeakRssKiB": summary(base_rss, 0),
            # Not a goal: where the time goes. CPU seconds (user + system, all threads) of each process and of nginx's
            # workers during it; on a shared machine CPU moves less than wall time between runs of one binary.
            "cpu": {"baselineSeconds": summary(base_cpu), "vaultSeconds": summary(vault_cpu),
                    "ratio": summary([b / v for b, v in zip(base_cpu, vault_cpu)]),
                    "ratioMeaning": "curl CPU seconds / connvault CPU seconds (same sense as the requests/s ratio)",
                    "nginxSecondsDuringBaseline": summary(nginx_base) if nginx_base else None,
                    "nginxSecondsDuringVault": summary(nginx_vault) if nginx_vault else None}})

    def checked_with_nginx_cpu(self, nginx_seconds, argv, env, what, **kwargs):
        """Like checked; also appends to nginx_seconds the CPU seconds nginx's workers used meanwhile, if readable."""
        before = nginx_cpu_seconds(self.work)
        result = checked(argv, env, what, **kwargs)
        after = nginx_cpu_seconds(self.work)
        if before is not None and after is not None:
            nginx_seconds.append(after - before)
        return result

    def open_vault(self, size):
        entry = self.config["sizes"][str(size)]
        with open(entry["ids"]) as f:
            first = f.readline().strip()
        sql = ("SELECT id, type_name, name, status, metadata_type, metadata_value, uid, verified_at, expires_at, "
               f"last_error, spec_version, created_at, updated_at FROM connections WHERE id = '{first}'")
        baseline_argv = [self.sqlite3, "-init", "/dev/null", "-json", entry["vault"], sql]
        vault_argv = self.connvault(size, "show", first, "--json")
        base, vault = [], []
        for run in range(self.open_runs):
            base.append(checked(baseline_argv, self.env, "sqlite3 (open)")[0])
            vault.append(checked(vault_argv, self.env, "connvault show", stderr=os.path.join(self.work, "show.err"))[0])
        ratios = [v / b for v, b in zip(vault, base)]
        self.figures.append({
            "figure": "open", "size": size, "unit": "milliseconds",
            "baseline": summary([b * 1000 for b in base], 2), "vault": summary([v * 1000 for v in vault], 2),
            "ratio": summary(ratios),
            "ratioMeaning": "connvault show ID --json --key-file (process start to first read) / sqlite3 open + one query"})

    def memory(self, sizes):
        smallest = min(sizes)
        for kind in ("list", "revalidate"):
            small = next((f for f in self.figures if f["figure"] == kind and f["size"] == smallest), None)
            if small is None:
                continue
            reference = small["vaultPeakRssKiB"]["median"]
            for size in sizes:
                figure = next(f for f in self.figures if f["figure"] == kind and f["size"] == size)
                values = figure["vaultPeakRssKiB"]["values"]
                self.figures.append({
                    "figure": f"memory-{kind}", "size": size, "unit": "KiB peak RSS", "referenceSize": smallest,
                    "baseline": summary([reference], 0), "vault": summary(values, 0),
                    "ratio": summary([v / reference for v in values]),
                    "ratioMeaning": f"connvault {kind} peak RSS at this size / median at {smallest} connections"})

    # MARK: Report

    def run(self):
        sizes = self.config["sizeList"]
        steps = [("hotpath", self.hotpath), ("list", self.list_json), ("revalidate", self.revalidate),
                 ("open", self.open_vault)]
        only = set(self.config.get("only") or [name for name, _ in steps])
        started = time.time()
        for size in sizes:
            for name, step in steps:
                if name not in only:
                    continue
                t0 = time.time()
                log(f"[bench] {size} connections: {name}…")
                step(size)
                log(f"[bench] {size} connections: {name} took {time.time() - t0:.1f} s")
        if {"list", "revalidate"} & only:
            self.memory(sizes)
        for figure in self.figures:
            if figure["figure"] in GOALS:
                sense, goal = GOALS[figure["figure"]]
                figure["goal"] = f"{sense} {goal}"
                figure["goalMet"] = met(figure["figure"], figure["ratio"]["median"])
        return time.time() - started

    def table(self):
        order = ["hotpath", "list", "revalidate", "memory-list", "memory-revalidate", "open"]
        rows = [("figure", "size", "baseline", "vault", "unit", "ratio", "min–max", "goal", "")]
        for name in order:
            for f in (f for f in self.figures if f["figure"] == name):
                rows.append((name, f"{f['size']:,}", fmt(f["baseline"]["median"]), fmt(f["vault"]["median"]), f["unit"],
                             f"{f['ratio']['median']:.2f}", f"{f['ratio']['min']:.2f}–{f['ratio']['max']:.2f}",
                             f.get("goal", ""), "ok" if f.get("goalMet") else "MISSED"))
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
        lines = []
        for index, row in enumerate(rows):
            lines.append("  ".join(str(cell).rjust(width) if 1 <= i <= 3 or 5 <= i <= 6 else str(cell).ljust(width)
                                   for i, (cell, width) in enumerate(zip(row, widths))).rstrip())
            if index == 0:
                lines.append("  ".join("-" * width for width in widths))
        cpu = [f for f in self.figures if f["figure"] == "revalidate" and "cpu" in f]
        if cpu:
            lines.append("")
            lines.append("revalidate CPU seconds, user + system (medians; not a goal):")
            for f in cpu:
                c = f["cpu"]
                nginx = " / ".join(f"{c[key]['median']:.2f}" if c.get(key) else "?"
                                   for key in ("nginxSecondsDuringBaseline", "nginxSecondsDuringVault"))
                lines.append(f"  {f['size']:>7,}  curl {c['baselineSeconds']['median']:.3f}  connvault "
                             f"{c['vaultSeconds']['median']:.3f}  ratio {c['ratio']['median']:.2f}  "
                             f"nginx during each {nginx}")
        return "\n".join(lines)


def fmt(value):
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.4f}"


def version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return None


def machine():
    try:
        model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                     None)
    except OSError:
        model = None
    return {"cores": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "memoryGiB": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "loadAverage1m": round(os.getloadavg()[0], 2)}


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "measure":
        sys.exit(__doc__)
    config = json.load(open(sys.argv[2]))
    global MEASURE, REPORT
    MEASURE = config["bin"]["measure"]
    REPORT = os.path.join(config["work"], "measure.report")
    runner = Runner(config)
    machine_before = machine()
    try:
        seconds = runner.run()
    except Failure as failure:
        log(f"[bench] FAILED: {failure}")
        sys.exit(1)
    print(runner.table())
    print()
    document = {
        "benchmark": "connvault", "sizes": config["sizeList"], "runs": config["runs"], "openRuns": config["openRuns"],
        "revalidateRuns": {str(size): runner.revalidate_runs(size) for size in config["sizeList"]},
        "quick": config.get("quick", False), "measureSeconds": round(seconds, 1),
        "machine": dict(machine_before, loadAverage1mAtEnd=round(os.getloadavg()[0], 2)),
        "versions": {"swift": version(["swift", "--version"]), "sqlite3": version(["sqlite3", "--version"]),
                     "curl": version(["curl", "--version"]), "nginx": version(["nginx", "-v"]),
                     "connvault": version([config["bin"]["connvault"], "--version"])},
        "nginx": {k: v for k, v in config["nginx"].items() if k != "credentials"},
        "figures": runner.figures,
    }
    print(json.dumps(document, separators=(",", ":")))


if __name__ == "__main__":
    main()
