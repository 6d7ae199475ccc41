#!/usr/bin/env python3
"""The journal queries benchmark (bench/run dossier): a journal of N
generated orders (bench/runtime/orders_bench.flow, 3 events per order), then
  dossier_ms              flowrt dossier --key, warm index (median of 7)
  explain_ms              flowrt explain --event, warm index (median of 7)
  replay_events_per_sec   flowrt replay with one rule threshold changed
  export_records_per_sec  flowrt journal export --format sqlite
and, for information, index_build_s (the index built from scratch) and the
journal's size. Times are wall clock and include starting the process.

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


def median_ms(args, runs=7):
    return statistics.median(timed(args)[0] for _ in range(runs)) * 1000


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
    dossier_ms = median_ms([flowrt, "dossier", "--journal", journal, "--key", key])
    explain_ms = median_ms([flowrt, "explain", "--journal", journal, "--event", f"o-{key}"])

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
    print(f"dossier_ms: {dossier_ms:.1f}")
    print(f"explain_ms: {explain_ms:.1f}")
    print(f"replay_events_per_sec: {events / replay_s:.0f}")
    print(f"export_records_per_sec: {records / export_s:.0f}")
finally:
    shutil.rmtree(work, ignore_errors=True)
