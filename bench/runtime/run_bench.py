#!/usr/bin/env python3
"""The runtime benchmark (bench/run runtime): flowrt run end to end on one
core over N generated OrderPlaced events (each causes two emitted events, all
journaled), in each fsync mode (never and batch: the median of RUNS runs),
peak RSS for two sizes, and start-up:
  startup_ms  `flowrt run APP.flowc` on an empty input: the median wall time
              of 21 runs, warm (the artifact built by flowc, its machine code
              in the object cache, the journal made by a first run, so a run
              reads it and writes nothing)
  startup_cpu_ms  the median CPU time (user + system) of the same runs: on a
              busy machine it varies much less than the wall time
  events_per_sec_never_nested  the same run (fsync never, this build only)
              over N nested orders of orders_nested_bench.flow (two
              addresses, ten line items, decimal money, five quantifier
              rules; gen_orders --nested), and nested_vs_flat_ratio, its
              ratio to events_per_sec_never in this run

With FLOW_BASELINE_FLOWRT=/path/to/another/flowrt, the runs of never and
batch and of start-up alternate between the two binaries (this one first),
and each of those figures is printed three times: NAME (this build),
baseline_NAME (the other binary) and NAME_ratio (this / baseline; for
startup_ms lower is better, for the rates higher; for the rates also
NAME_cpu_ratio, of the CPU times, baseline / this). Both binaries run the
same command on the same input (for start-up, the artifact built by the
flowc beside each flowrt, BUILD/compiler/flowc), so one run compares them
on one machine state. FLOW_BENCH_RUNS sets RUNS (default 3).

usage: run_bench.py BUILD_DIR REPO_DIR [N_SMALL N_LARGE]"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

build, repo = sys.argv[1], sys.argv[2]
n_main = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
n_large = int(sys.argv[4]) if len(sys.argv) > 4 else 5_000_000
flowrt = os.path.join(build, "runtime", "flowrt")
flowc = os.path.join(build, "compiler", "flowc")
baseline = os.environ.get("FLOW_BASELINE_FLOWRT", "")
gen = os.path.join(build, "bench", "gen_orders")
flow = os.path.join(repo, "bench", "runtime", "orders_bench.flow")
nested_flow = os.path.join(repo, "bench", "runtime", "orders_nested_bench.flow")
work = tempfile.mkdtemp(prefix="flow-bench-runtime-")

RUNS = int(os.environ.get("FLOW_BENCH_RUNS", "3"))  # single runs on a shared VM vary by about 10%
STARTUP_RUNS = 21
binaries = [flowrt] + ([baseline] if baseline else [])


def generate(n, nested=False):
    path = os.path.join(work, f"orders-{n}{'-nested' if nested else ''}.jsonl")
    with open(path, "wb") as out:
        subprocess.run([gen] + (["--nested"] if nested else []) + [str(n)], stdout=out, check=True)
    return path


def check(result, binary):
    if result.returncode != 0:
        sys.exit(f"{binary} failed ({result.returncode}): {result.stderr[-2000:]}")


def measured(command):
    """Runs a command: wall seconds and its own resource usage (wait4). Exits on failure."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - start
        if status != 0:
            err.seek(0)
            sys.exit(f"{command[0]} failed ({status}): {err.read()[-2000:].decode(errors='replace')}")
    return seconds, usage


def run(input_path, fsync, binary=flowrt, program=flow):
    """Seconds, peak RSS (MB) and CPU seconds of one `flowrt run` of a bench flow."""
    journal = os.path.join(work, "journal")
    shutil.rmtree(journal, ignore_errors=True)
    # taskset execs flowrt: the usage is flowrt's own
    seconds, usage = measured(["taskset", "-c", "0", binary, "run", program, "--journal", journal,
                               "--input", input_path, "--fsync", fsync])
    shutil.rmtree(journal, ignore_errors=True)
    return seconds, usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime


def alternate(runs, measure):
    """measure(binary) `runs` times per binary, alternating: a list per binary."""
    results = [[] for _ in binaries]
    for _ in range(runs):
        for i, binary in enumerate(binaries):
            results[i].append(measure(binary))
    return results


def report(name, values, higher_is_better=True):
    """Prints NAME (this build) and, with a baseline, baseline_NAME and NAME_ratio."""
    fmt = "{:.0f}" if higher_is_better else "{:.1f}"
    print(f"{name}: {fmt.format(values[0])}")
    if len(values) > 1:
        print(f"baseline_{name}: {fmt.format(values[1])}")
        print(f"{name}_ratio: {values[0] / values[1]:.3f}")


def median_rates(name, input_path, n, fsync):
    """Reports events/s of each binary's median run; returns this build's rate and largest
    peak RSS. With a baseline, NAME_cpu_ratio compares the median CPU times (user + system)
    too: on a busy machine they vary less than the wall clock."""
    results = alternate(RUNS, lambda binary: run(input_path, fsync, binary))
    rates = [n / statistics.median(r[0] for r in runs) for runs in results]
    report(name, rates)
    if len(results) > 1:
        cpu = [statistics.median(r[2] for r in runs) for runs in results]
        print(f"{name}_cpu_ratio: {cpu[1] / cpu[0]:.3f}")
    return rates[0], max(r[1] for r in results[0])


def flowc_beside(binary):
    """The flowc of the build a flowrt is in (BUILD/runtime/flowrt -> BUILD/compiler/flowc), else this build's."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(binary))), "compiler", "flowc")
    return path if os.path.exists(path) else flowc


def startup_ms():
    """The median wall and CPU milliseconds of `flowrt run APP.flowc` on an empty
    input, per binary (each runs the artifact that its own build's flowc makes)."""
    empty = os.path.join(work, "empty.jsonl")
    open(empty, "w").close()
    commands = {}
    for i, binary in enumerate(binaries):
        app = os.path.join(work, f"orders-{i}.flowc")
        compiler = flowc_beside(binary)
        check(subprocess.run([compiler, "build", flow, "-o", app], capture_output=True, text=True), compiler)
        commands[binary] = [binary, "run", app, "--journal", os.path.join(work, f"startup-journal-{i}"),
                            "--input", empty]

    def once(binary):
        seconds, usage = measured(commands[binary])
        return seconds * 1000, (usage.ru_utime + usage.ru_stime) * 1000

    for binary in binaries:  # makes the journal, fills the object cache and the page cache
        for _ in range(3):
            once(binary)
    results = alternate(STARTUP_RUNS, once)
    return ([statistics.median(r[0] for r in runs) for runs in results],
            [statistics.median(r[1] for r in runs) for runs in results])


try:
    wall_ms, cpu_ms = startup_ms()
    report("startup_ms", wall_ms, higher_is_better=False)
    report("startup_cpu_ms", cpu_ms, higher_is_better=False)
    main_input = generate(n_main)
    flat_rate, rss_main = median_rates("events_per_sec_never", main_input, n_main, "never")
    median_rates("events_per_sec_batch", main_input, n_main, "batch")
    nested_input = generate(n_main, nested=True)
    nested_seconds = statistics.median(run(nested_input, "never", program=nested_flow)[0] for _ in range(RUNS))
    nested_rate = n_main / nested_seconds
    print(f"events_per_sec_never_nested: {nested_rate:.0f}")
    print(f"nested_vs_flat_ratio: {nested_rate / flat_rate:.3f}")
    os.remove(nested_input)
    always_n = min(n_main, 20_000)
    always_input = generate(always_n)
    seconds = run(always_input, "always")[0]
    print(f"events_per_sec_always: {always_n / seconds:.0f}")
    print(f"peak_rss_mb_1m: {rss_main:.0f}")
    os.remove(main_input)
    large_input = generate(n_large)
    rss_large = run(large_input, "never")[1]
    print(f"peak_rss_mb_5m: {rss_large:.0f}")
finally:
    shutil.rmtree(work, ignore_errors=True)
