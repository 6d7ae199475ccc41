#!/usr/bin/env python3
"""End-to-end tests of `flowrt run` and the journal, as a user runs them:
examples, correlation across restarts, failing services, bad input, and a
SIGKILL mid-run. Every input line must be accounted for in the journal.

usage: flowrt_e2e_test.py FLOWC FLOWRT REPO_DIR"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

FLOWC, FLOWRT, REPO = sys.argv[1], sys.argv[2], sys.argv[3]
CASES = os.path.join(REPO, "tests", "runtime", "cases")
EXAMPLES = os.path.join(REPO, "examples")


def run(args, stdin=None, timeout=120):
    return subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=timeout)


def dump(journal):
    out = run([FLOWRT, "journal", "dump", "--journal", journal, "--json"])
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def kinds(records, kind):
    return [r for r in records if r["kind"] == kind]


def statuses(records):
    """Latest status per (instance, flow)."""
    state = {}
    for r in kinds(records, "instance"):
        state[(r["instance"], r["flow"].split(".")[-1])] = r["status"]
    return state


def event_line(type_, data, id_=None):
    event = {"specversion": "1.0", "type": type_, "source": "test", "data": data}
    if id_:
        event["id"] = id_
    return json.dumps(event) + "\n"


class FlowrtTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="flowrt-e2e-")
        self.journal = os.path.join(self.dir, "journal")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def verify(self):
        out = run([FLOWRT, "journal", "verify", "--journal", self.journal])
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("journal ok", out.stdout)

    def test_order_to_cash_end_to_end(self):
        example = os.path.join(EXAMPLES, "order-to-cash")
        out = run([FLOWRT, "run", os.path.join(example, "orders.flow"), "--journal", self.journal,
                   "--input", os.path.join(example, "orders.jsonl")])
        self.assertEqual(out.returncode, 3, out.stderr)  # line 5 is invalid on purpose
        self.assertIn("rejected input line 5: field 'amount': expected float", out.stderr)
        self.assertIn("4 accepted, 1 rejected", out.stderr)
        self.assertIn("[shop.orders.Payment] capturing 250.00 for 1001", out.stderr)
        records = dump(self.journal)
        events = kinds(records, "event")
        by_type = {}
        for e in events:
            by_type[e["type"].split(".")[-1]] = by_type.get(e["type"].split(".")[-1], 0) + 1
        self.assertEqual(by_type, {"OrderPlaced": 4, "OrderApproved": 3, "ReviewRequested": 2,
                                   "OrderRejected": 1, "PaymentCaptured": 3})
        self.assertEqual(statuses(records), {(k, "OrderToCash"): "completed" for k in ["1001", "1002", "1003", "1004"]})
        # Causation: every emitted event names an earlier event of its own instance.
        seen = {}
        for e in events:
            if e["causation"]:
                self.assertIn(e["causation"], seen)
                self.assertEqual(seen[e["causation"]], e["instance"])
            seen[e["id"]] = e["instance"]
        # Decisions carry the rule values they used.
        decision = next(d for d in kinds(records, "decision") if d["event"] == "o-2" and d["subscription"] == 0)
        self.assertEqual(decision["result"], "fired")
        self.assertIn({"name": "shop.orders.NeedsReview", "value": "true"}, decision["rules"])
        rejected = kinds(records, "rejected")
        self.assertEqual([r["line"] for r in rejected], [5])
        self.assertIn('"amount":"lots"', rejected[0]["raw"])
        self.assertEqual(len(kinds(records, "definition")), 1)
        self.verify()

    def test_every_example_runs_with_its_input(self):
        expected = {  # example: (exit status, {instance: status})
            "order-to-cash": (3, {k: "completed" for k in ["1001", "1002", "1003", "1004"]}),
            "insurance-claim": (0, {k: "completed" for k in ["CL-1", "CL-2", "CL-3", "CL-4"]}),
            "support-ticket": (0, {k: "completed" for k in ["T-1", "T-2", "T-3"]}),
        }
        for name in sorted(os.listdir(EXAMPLES)):
            folder = os.path.join(EXAMPLES, name)
            flows = [f for f in os.listdir(folder) if f.endswith(".flow")]
            inputs = [f for f in os.listdir(folder) if f.endswith(".jsonl")]
            if not flows or not inputs:
                continue
            with self.subTest(example=name):
                self.assertIn(name, expected, "every runnable example has an expected outcome here")
                journal = os.path.join(self.dir, name)
                out = run([FLOWRT, "run", os.path.join(folder, flows[0]), "--journal", journal,
                           "--input", os.path.join(folder, inputs[0])])
                status, instances = expected[name]
                self.assertEqual(out.returncode, status, out.stderr)
                records = dump(journal)
                got = {inst: st for (inst, _flow), st in statuses(records).items()}
                self.assertEqual(got, instances)
                verify = run([FLOWRT, "journal", "verify", "--journal", journal])
                self.assertEqual(verify.returncode, 0, verify.stdout)

    def test_jit_and_interpreter_decide_alike(self):
        # Every example, run once per back end: the same decisions, rule
        # values and events (ids and times aside).
        for name in ["order-to-cash", "insurance-claim", "support-ticket"]:
            folder = os.path.join(EXAMPLES, name)
            flow = [f for f in os.listdir(folder) if f.endswith(".flow")][0]
            data = [f for f in os.listdir(folder) if f.endswith(".jsonl")][0]
            seen = {}
            for backend in ["jit", "interp"]:
                journal = os.path.join(self.dir, f"{name}-{backend}")
                run([FLOWRT, "run", os.path.join(folder, flow), "--journal", journal, "--backend", backend,
                     "--input", os.path.join(folder, data)])
                records = dump(journal)
                decisions = sorted((d["flow"], d["subscription"], d["result"], json.dumps(d["rules"]))
                                   for d in kinds(records, "decision"))
                events = sorted((e["type"], e["instance"], json.dumps(e["data"], sort_keys=True))
                                for e in kinds(records, "event"))
                seen[backend] = (decisions, events)
            with self.subTest(example=name):
                self.assertTrue(seen["jit"][0])
                self.assertEqual(seen["jit"], seen["interp"])

    def test_built_artifact_runs_like_sources(self):
        example = os.path.join(EXAMPLES, "order-to-cash")
        app = os.path.join(self.dir, "orders.flowc")
        out = run([FLOWC, "build", os.path.join(example, "orders.flow"), "-o", app])
        self.assertEqual(out.returncode, 0, out.stderr)
        out = run([FLOWRT, "run", app, "--journal", self.journal, "--input", os.path.join(example, "orders.jsonl")])
        self.assertEqual(out.returncode, 3, out.stderr)
        self.assertEqual(len(kinds(dump(self.journal), "event")), 13)
        # A damaged artifact is refused with one line, and nothing runs.
        with open(app, "r+b") as f:
            f.seek(100)
            byte = f.read(1)
            f.seek(100)
            f.write(bytes([byte[0] ^ 0x10]))
        out = run([FLOWRT, "run", app, "--journal", os.path.join(self.dir, "j2")], stdin="")
        self.assertEqual(out.returncode, 1)
        self.assertEqual(out.stderr.strip().count("\n"), 0, out.stderr)
        self.assertIn("corrupt", out.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "j2")))

    def test_accepts_joins_an_instance_across_restarts(self):
        flow = os.path.join(CASES, "signing.flow")
        first = event_line("ContractOpened", {"contract": "c-1", "customer": "Ada"}) + \
            event_line("ContractOpened", {"contract": "c-2", "customer": "Bo"})
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin=first)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(statuses(dump(self.journal)), {("c-1", "Signing"): "active", ("c-2", "Signing"): "active"})
        # A second run on the same journal continues the instances of the first.
        second = event_line("ContractSigned", {"contract": "c-1", "signed_by": "Ada"}) + \
            event_line("ContractSigned", {"contract": "c-9", "signed_by": "Nobody"})
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin=second)
        self.assertEqual(out.returncode, 3, out.stderr)
        self.assertIn("no running instance with key 'c-9'", out.stderr)
        records = dump(self.journal)
        self.assertEqual(statuses(records), {("c-1", "Signing"): "completed", ("c-2", "Signing"): "active"})
        signed = [e for e in kinds(records, "event") if e["type"].endswith("ContractSigned")]
        self.assertEqual([e["instance"] for e in signed], ["c-1"])
        self.assertEqual(len(kinds(records, "definition")), 1, "an unchanged definition is recorded once")
        ids = [e["id"] for e in kinds(records, "event")]
        self.assertEqual(len(ids), len(set(ids)), "event ids stay unique across runs")
        self.verify()

    def test_every_kind_of_bad_input_is_journaled(self):
        flow = os.path.join(CASES, "signing.flow")
        lines = [
            "this is not json",
            "{\"type\": \"ContractOpened\"}",
            event_line("Nope", {"contract": "x"}).strip(),
            event_line("ContractOpened", {"contract": "c-1"}).strip(),
            event_line("ContractOpened", {"contract": 5, "customer": "x"}).strip(),
            event_line("ContractDone", {"contract": "c-1", "signed_by": "x"}).strip(),
            "[1, 2, 3]",
            "{\"type\": \"ContractOpened\", \"data\": {\"contract\": \"ok\", \"customer\": \"fine\"}}",
        ]
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin="\n".join(lines) + "\n")
        self.assertEqual(out.returncode, 3, out.stderr)
        records = dump(self.journal)
        rejected = kinds(records, "rejected")
        self.assertEqual([r["line"] for r in rejected], [1, 2, 3, 4, 5, 6, 7])
        for r in rejected:
            self.assertEqual(r["raw"], lines[r["line"] - 1])
            self.assertTrue(r["reason"])
        self.assertIn("does not enter any flow", rejected[5]["reason"])
        self.assertEqual(len([e for e in kinds(records, "event") if e["input_line"] == 8]), 1)

    def test_failing_services_are_retried_and_dead_lettered(self):
        flow = os.path.join(CASES, "faults.flow")
        modes = ["ok", "error", "crash", "garbage", "undeclared", "invalid", "stderr", "hang", "ok"]
        lines = "".join(event_line("Job", {"id": f"j{i}-{m}", "mode": m}) for i, m in enumerate(modes))
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin=lines, timeout=120)
        self.assertEqual(out.returncode, 3, out.stderr)
        self.assertIn("[faults.Worker] working on j6-stderr", out.stderr)
        records = dump(self.journal)
        dead = {d["instance"]: d for d in kinds(records, "dead-letter")}
        self.assertEqual(sorted(dead), sorted(f"j{i}-{m}" for i, m in enumerate(modes) if m not in ("ok", "stderr")))
        attempts = kinds(records, "attempt")
        for instance, d in dead.items():
            tries = [a for a in attempts if a["instance"] == instance and a["service"] == "faults.Worker"]
            self.assertEqual(len(tries), 2, instance)  # retry 1: two attempts, same delivery id
            self.assertEqual(len({a["delivery"] for a in tries}), 1)
            self.assertTrue(all(a["outcome"] != "ok" for a in tries))
        outcome = {a["instance"]: a["outcome"] for a in attempts if a["service"] == "faults.Worker"}
        self.assertEqual(outcome["j1-error"], "error")
        self.assertEqual(outcome["j7-hang"], "timeout")
        self.assertEqual(outcome["j4-undeclared"], "invalid")
        self.assertEqual(outcome["j5-invalid"], "invalid")
        state = statuses(records)
        self.assertEqual(state[("j0-ok", "Jobs")], "completed")
        self.assertEqual(state[("j8-ok", "Jobs")], "completed")
        self.assertEqual(state[("j1-error", "Jobs")], "failed")
        self.verify()

    def test_runtime_events_reach_flows(self):
        flow = os.path.join(CASES, "alerting.flow")
        lines = event_line("Job", {"id": "j1", "mode": "error"}) + "not json\n" + \
            event_line("Job", {"id": "j2", "mode": "ok"})
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin=lines)
        self.assertEqual(out.returncode, 3, out.stderr)
        records = dump(self.journal)
        alerted = [e for e in kinds(records, "event") if e["type"].endswith("Alerted")]
        self.assertEqual(len(alerted), 1)
        self.assertEqual(alerted[0]["instance"], "j1", "the alert belongs to the failing instance")
        self.assertEqual(alerted[0]["data"]["service_name"], "alerting.Worker")
        self.assertIn("cannot do j1", alerted[0]["data"]["error"])
        noted = [e for e in kinds(records, "event") if e["type"].endswith("Noted")]
        self.assertEqual([n["data"]["line"] for n in noted], [2])
        state = statuses(records)
        self.assertEqual(state[("j1", "Jobs")], "failed")
        self.assertEqual(state[("j1", "Alerting")], "completed")
        self.assertEqual(state[("j2", "Jobs")], "completed")
        self.verify()

    def test_sigkill_mid_run_then_recovery(self):
        flow = os.path.join(CASES, "signing.flow")
        total = 20000
        path = os.path.join(self.dir, "input.jsonl")
        with open(path, "w") as f:
            for i in range(total):
                f.write(event_line("ContractOpened", {"contract": f"c-{i}", "customer": "x" * 50}))
        proc = subprocess.Popen([FLOWRT, "run", flow, "--journal", self.journal, "--input", path,
                                 "--fsync", "always"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            time.sleep(0.2)
            segments = [n for n in os.listdir(self.journal)] if os.path.isdir(self.journal) else []
            size = sum(os.path.getsize(os.path.join(self.journal, n)) for n in segments)
            if size > 200_000 or proc.poll() is not None:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # Restart on the same journal: the torn tail (if any) is cut, the
        # instances of the first run go on.
        rest = event_line("ContractSigned", {"contract": "c-0", "signed_by": "Ada"})
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin=rest)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.verify()
        records = dump(self.journal)
        lines = [e["input_line"] for e in kinds(records, "event") if e["type"].endswith("ContractOpened")]
        self.assertGreater(len(lines), 0)
        self.assertEqual(lines, list(range(1, len(lines) + 1)), "the journal holds a prefix of the input, no gaps")
        self.assertEqual(statuses(records)[("c-0", "Signing")], "completed")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
