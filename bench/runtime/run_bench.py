#!/usr/bin/env python3
"""The runtime benchmark (bench/run runtime): flowrt run end to end on one
core over N generated OrderPlaced events (each causes two emitted events, all
journaled), in each fsync mode (never and batch: the median of three runs),
and peak RSS for two sizes.

usage: run_bench.py BUILD_DIR REPO_DIR [N_SMALL N_LARGE]"""
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

build, repo = sys.argv[1], sys.argv[2]
n_main = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
n_large = int(sys.argv[4]) if len(sys.argv) > 4 else 5_000_000
flowrt = os.path.join(build, "runtime", "flowrt")
gen = os.path.join(build, "bench", "gen_orders")
flow = os.path.join(repo, "bench", "runtime", "orders_bench.flow")
work = tempfile.mkdtemp(prefix="flow-bench-runtime-")


def generate(n):
    path = os.path.join(work, f"orders-{n}.jsonl")
    with open(path, "wb") as out:
        subprocess.run([gen, str(n)], stdout=out, check=True)
    return path


def run(input_path, fsync):
    journal = os.path.join(work, "journal")
    shutil.rmtree(journal, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    result = subprocess.run(["taskset", "-c", "0", flowrt, "run", flow, "--journal", journal,
                             "--input", input_path, "--fsync", fsync],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - start
    if result.returncode != 0:
        sys.exit(f"flowrt failed ({result.returncode}): {result.stderr[-2000:]}")
    # ru_maxrss of children is the max over all waited-for children so far:
    # runs go from small to large so each reading is that run's peak.
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    shutil.rmtree(journal, ignore_errors=True)
    return seconds, rss_mb, max(before, 0)


RUNS = 3  # the median of three: single runs on a shared VM vary by about 10%


def median_rate(input_path, n, fsync):
    """Events/s of the median run, and the largest peak RSS seen."""
    results = [run(input_path, fsync) for _ in range(RUNS)]
    seconds = sorted(r[0] for r in results)[RUNS // 2]
    return n / seconds, max(r[1] for r in results)


try:
    main_input = generate(n_main)
    rate, rss_main = median_rate(main_input, n_main, "never")
    print(f"events_per_sec_never: {rate:.0f}")
    rate, _ = median_rate(main_input, n_main, "batch")
    print(f"events_per_sec_batch: {rate:.0f}")
    always_n = min(n_main, 20_000)
    always_input = generate(always_n)
    seconds, _, _ = run(always_input, "always")
    print(f"events_per_sec_always: {always_n / seconds:.0f}")
    print(f"peak_rss_mb_1m: {rss_main:.0f}")
    os.remove(main_input)
    large_input = generate(n_large)
    _, rss_large, _ = run(large_input, "never")
    print(f"peak_rss_mb_5m: {rss_large:.0f}")
finally:
    shutil.rmtree(work, ignore_errors=True)
