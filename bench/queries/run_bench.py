#!/usr/bin/env python3
"""The journal queries benchmark (bench/run dossier): a journal of N
generated orders (bench/runtime/orders_bench.flow, 3 events per order), then
  dossier_ms              flowrt dossier --key, warm index (median of 7)
  explain_ms              flowrt explain --event, warm index (median of 7)
  replay_events_per_sec   flowrt replay with one rule threshold changed
  export_records_per_sec  flowrt journal export --format sqlite
and, for information, index_build_s (the index built from scratch) and the
journal's size. Times are wall clock and include starting the process.

With FLOW_BASELINE_FLOWRT=/path/to/another/flowrt, the runs of dossier and
explain alternate between the two binaries on the same journal and index,
and baseline_dossier_ms, baseline_explain_ms and the ratios (this / baseline)
are printed too (when the other binary reads this build's journal).

usage: run_bench.py BUILD_DIR REPO_DIR [N]"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

build, repo = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
flowrt = os.path.join(build, "runtime", "flowrt")
baseline = os.environ.get("FLOW_BASELINE_FLOWRT", "")
gen = os.path.join(build, "bench", "gen_orders")
flow = os.path.join(repo, "bench", "runtime", "orders_bench.flow")
work = tempfile.mkdtemp(prefix="flow-bench-queries-")


def run(args, **kw):
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return result


def timed(args):
    start = time.monotonic()
    result = run(args)
    return time.monotonic() - start, result


def baseline_reads(args):
    """Whether the baseline binary answers `ARGS...` on this build's journal (else its figures are left out)."""
    result = subprocess.run([baseline] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        print(f"bench: the baseline cannot run {args[0]} here: {result.stderr[-300:]}", file=sys.stderr)
    return result.returncode == 0


def median_ms(args, runs=7):
    """The median wall time of `flowrt ARGS...`, and of the baseline's (alternating) or None."""
    binaries = [flowrt] + ([baseline] if baseline and baseline_reads(args) else [])
    times = [[] for _ in binaries]
    for _ in range(runs):
        for i, binary in enumerate(binaries):
            times[i].append(timed([binary] + args)[0])
    medians = [statistics.median(t) * 1000 for t in times]
    return medians[0], medians[1] if len(medians) > 1 else None


def report_ms(name, values):
    print(f"{name}: {values[0]:.1f}")
    if values[1] is not None:
        print(f"baseline_{name}: {values[1]:.1f}")
        print(f"{name}_ratio: {values[0] / values[1]:.3f}")


try:
    orders = os.path.join(work, "orders.jsonl")
    with open(orders, "wb") as out:
        subprocess.run([gen, str(n)], stdout=out, check=True)
    journal = os.path.join(work, "journal")
    run([flowrt, "run", flow, "--journal", journal, "--input", orders, "--fsync", "never"])
    os.remove(orders)
    index_s, _ = timed([flowrt, "journal", "index", "--journal", journal, "--rebuild"])
    records = int(next(line.split(": ")[1] for line in run([flowrt, "journal", "index", "--journal", journal])
                       .stdout.splitlines() if line.startswith("records: ")))
    size = sum(os.path.getsize(os.path.join(journal, f)) for f in os.listdir(journal) if f.startswith("segment-"))
    key = str(n * 2 // 3)
    dossier_ms = median_ms(["dossier", "--journal", journal, "--key", key])
    explain_ms = median_ms(["explain", "--journal", journal, "--event", f"o-{key}"])

    changed = os.path.join(work, "orders_changed.flow")
    with open(flow) as f:
        source = f.read()
    with open(changed, "w") as f:
        f.write(source.replace("o.amount < 100.0\n", "o.amount < 255.0\n"))
    replay_s, result = timed([flowrt, "replay", "--journal", journal, "--with", changed, "--json"])
    events = json.loads(result.stdout)["events"]["total"]

    db = os.path.join(work, "journal.db")
    export_s, _ = timed([flowrt, "journal", "export", "--journal", journal, "--format", "sqlite", "-o", db])

    print(f"journal_records: {records}")
    print(f"journal_mb: {size / 1e6:.0f}")
    print(f"index_build_s: {index_s:.1f}")
    report_ms("dossier_ms", dossier_ms)
    report_ms("explain_ms", explain_ms)
    print(f"replay_events_per_sec: {events / replay_s:.0f}")
    print(f"export_records_per_sec: {records / export_s:.0f}")
finally:
    shutil.rmtree(work, ignore_errors=True)
