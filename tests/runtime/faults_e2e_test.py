#!/usr/bin/env python3
"""End-to-end tests of the promises runtime.md §4 makes about instances,
definitions and causal chains, each found broken by running flows as a
user would: nothing lost, nothing stuck, nothing merged.

usage: faults_e2e_test.py FLOWC FLOWRT REPO_DIR"""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

FLOWC, FLOWRT, REPO = (os.path.abspath(a) for a in sys.argv[1:4])  # the tests change directory
CASES = os.path.join(REPO, "tests", "runtime", "cases")
BACKENDS = ["jit", "interp"]


def run(args, stdin=None, timeout=120, cwd=None, env=None):
    return subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)


def dump(journal):
    out = run([FLOWRT, "journal", "dump", "--journal", journal, "--json"])
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


def kinds(records, kind):
    return [r for r in records if r["kind"] == kind]


def event_line(type_, data, id_=None):
    event = {"specversion": "1.0", "type": type_, "source": "test", "data": data}
    if id_:
        event["id"] = id_
    return json.dumps(event) + "\n"


# A process with a key, joined from outside and ended by a transform: the
# shape of most business flows. `when Big` puts a rule on the path so both
# back ends are exercised.
ORDERS = """
event OrderPlaced  { key order: string, amount: int }
event OrderPaid    { key order: string }
event OrderClosed  { ...OrderPaid, big: bool }
rule Big(o: OrderPaid) = o.order != ""
service Close { consumes p: OrderPaid publishes OrderClosed emit OrderClosed { ...p, big: true } }
service Note  { consumes OrderClosed builtin "log" }
flow Orders {
  start OrderPlaced
  accepts OrderPaid
  end OrderClosed
  on OrderPlaced -> Note2
  on OrderPaid when Big -> Close
  on OrderClosed -> Note
}
service Note2 { consumes OrderPlaced builtin "log" }
"""

# Two transforms that publish each other's triggers, unconditionally
# (warning W0205): without a limit, one input never ends.
CYCLE = """
event Ping { key id: string, n: int }
event Pong { key id: string, n: int }
rule Always(p: Ping) = p.n >= 0
service ToPong { consumes p: Ping publishes Pong emit Pong { id: p.id, n: p.n + 1 } }
service ToPing { consumes p: Pong publishes Ping emit Ping { id: p.id, n: p.n + 1 } }
flow Cycle {
  start Ping
  end Pong
  on Ping when Always -> ToPong
  on Pong -> ToPing
}
"""


class FaultsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="flowrt-faults-")
        self.journal = os.path.join(self.dir, "journal")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def verify(self, journal=None):
        out = run([FLOWRT, "journal", "verify", "--journal", journal or self.journal])
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    # ---- Fault 3: an exec delivery in flight when a run dies ---------------

    def kill_mid_delivery(self, app, env):
        """Runs app/faults.flow until its worker holds job-1, then kills
        the runtime and the worker: the delivery is left in flight."""
        marker = env["FLOW_TEST_MARKER"]
        proc = subprocess.Popen([FLOWRT, "run", os.path.join(app, "faults.flow"), "--journal", self.journal,
                                 "--fsync", "always"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, text=True, env=env)
        proc.stdin.write(event_line("Job", {"id": "j-1", "mode": "hang-once"}, id_="job-1"))
        proc.stdin.flush()
        deadline = time.monotonic() + 30
        def worker_pid():
            if not os.path.exists(marker):
                return None
            with open(marker) as f:
                text = f.read()
            return int(text) if text else None
        while worker_pid() is None:
            self.assertLess(time.monotonic(), deadline, "the worker never got the job")
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdin.close()
        os.kill(worker_pid(), signal.SIGKILL)
        self.assertEqual(len(kinds(dump(self.journal), "attempt")), 0, "no outcome was journaled before the kill")

    def faults_app(self):
        app = os.path.join(self.dir, "app")
        os.makedirs(app)
        for name in ["faults.flow", "worker.py"]:
            shutil.copy(os.path.join(CASES, name), app)
        return app

    def test_a_delivery_in_flight_at_a_crash_is_driven_again(self):
        app = self.faults_app()
        env = dict(os.environ, FLOW_TEST_MARKER=os.path.join(self.dir, "marker"))
        self.kill_mid_delivery(app, env)
        flow = os.path.join(app, "faults.flow")
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin="", env=env)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("re-driving 1 exec deliveries", out.stderr)
        self.verify()
        records = dump(self.journal)
        self.assertEqual(len(kinds(records, "definition")), 1)
        attempts = kinds(records, "attempt")
        self.assertEqual([(a["delivery"], a["outcome"]) for a in attempts if a["service"].endswith("Worker")],
                         [("d-job-1.0.0", "ok")])
        results = [e for e in kinds(records, "event") if e["type"].endswith("Result")]
        self.assertEqual([(e["causation"], e["instance"]) for e in results], [("job-1", "j-1")])
        statuses = [(r["instance"], r["status"]) for r in kinds(records, "instance")]
        self.assertEqual(statuses[-1], ("j-1", "completed"))
        # A third run finds nothing left in flight.
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin="", env=env)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertNotIn("re-driving", out.stderr)

    def crash_then_change(self, old, new):
        """Leaves job-1's delivery in flight under faults.flow, then replaces
        `old` by `new` in the file: version 2. Returns its path and the
        environment the worker needs."""
        app = self.faults_app()
        env = dict(os.environ, FLOW_TEST_MARKER=os.path.join(self.dir, "marker"))
        self.kill_mid_delivery(app, env)
        flow = os.path.join(app, "faults.flow")
        with open(flow) as f:
            text = f.read()
        self.assertIn(old, text)
        with open(flow, "w") as f:
            f.write(text.replace(old, new))
        return flow, env

    def test_a_delivery_in_flight_goes_on_under_a_changed_definition(self):
        # Version 2 changes only a setting of the service.
        flow, env = self.crash_then_change("retry 1 ", "retry 2 ")
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin="", env=env)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("re-driving 1 exec deliveries", out.stderr)
        self.verify()
        records = dump(self.journal)
        self.assertEqual(len(kinds(records, "definition")), 2)
        attempts = [(a["delivery"], a["outcome"]) for a in kinds(records, "attempt") if a["service"].endswith("Worker")]
        self.assertEqual(attempts, [("d-job-1.0.0", "ok")])
        statuses = [(r["instance"], r["status"]) for r in kinds(records, "instance")]
        self.assertEqual(statuses[-1], ("j-1", "completed"))

    def test_a_delivery_in_flight_to_a_removed_service_is_dead_lettered(self):
        flow, env = self.crash_then_change("Worker", "Worker2")
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin="", env=env)
        self.assertEqual(out.returncode, 3, out.stderr)
        self.assertIn("service faults.Worker removed in version 2", out.stderr)
        records = dump(self.journal)
        dead = kinds(records, "dead-letter")
        self.assertEqual([d["delivery"] for d in dead], ["d-job-1.0.0"])
        self.assertIn("removed in version 2", dead[0]["error"])
        self.assertEqual(dead[0]["reason"], "service_removed")
        statuses = [(r["instance"], r["status"]) for r in kinds(records, "instance")]
        self.assertEqual(statuses[-1], ("j-1", "failed"))
        # Nothing is left in flight for a third run.
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin="", env=env)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertNotIn("re-driving", out.stderr)

    def test_a_delivery_in_flight_whose_event_no_longer_decodes_is_dead_lettered(self):
        # Version 2 requires a field the journaled job does not have.
        flow, env = self.crash_then_change("mode: string }", "mode: string, priority: int }")
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin="", env=env)
        self.assertEqual(out.returncode, 3, out.stderr)
        self.assertIn("no longer decodes under version 2", out.stderr)
        dead = kinds(dump(self.journal), "dead-letter")
        self.assertEqual([(d["delivery"], d["reason"]) for d in dead], [("d-job-1.0.0", "invalid_event")])

    # ---- Fault 4: the same text is the same definitions -------------------

    def test_a_copy_under_another_name_is_the_same_definition(self):
        first = self.write("first/orders.flow", ORDERS)
        copy = self.write("elsewhere/renamed.flow", ORDERS)
        for backend in BACKENDS:
            journal = os.path.join(self.dir, "journal-" + backend)
            out = run([FLOWRT, "run", first, "--journal", journal, "--backend", backend],
                      stdin=event_line("OrderPlaced", {"order": "42", "amount": 5}))
            self.assertEqual(out.returncode, 0, out.stderr)
            # The copy goes on with the same instance, and completes it.
            out = run([FLOWRT, "run", copy, "--journal", journal, "--backend", backend],
                      stdin=event_line("OrderPaid", {"order": "42"}))
            self.assertEqual(out.returncode, 0, out.stderr)
            records = dump(journal)
            self.assertEqual(len(kinds(records, "definition")), 1, "the copy is not a new version")
            self.assertEqual(sorted({e["type"] for e in kinds(records, "event")}),
                             ["OrderClosed", "OrderPaid", "OrderPlaced"], "names carry no file name")
            statuses = [(r["instance"], r["flow"], r["status"]) for r in kinds(records, "instance")]
            self.assertEqual(statuses[-1], ("42", "Orders", "completed"))
            out = run([FLOWRT, "replay", "--journal", journal, "--with", copy, "--json"])
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertNotIn("removed", out.stdout)
            self.assertEqual(json.loads(out.stdout)["changed_decisions"], 0, out.stdout)
        # Built artifacts of both files have the same content hash.
        hashes = []
        for source in [first, copy]:
            out = run([FLOWC, "build", source, "-o", source + "c"])
            self.assertEqual(out.returncode, 0, out.stderr)
            hashes.append(out.stderr.split("sha256 ")[1][:16])
        self.assertEqual(hashes[0], hashes[1])

    def test_two_files_without_module_clause_may_not_declare_one_name(self):
        a = self.write("a.flow", "event Thing { key id: string }\n")
        b = self.write("b.flow", "event Thing { key id: string }\n")
        out = run([FLOWC, "check", a, b])
        self.assertEqual(out.returncode, 1)
        self.assertIn("E0105", out.stderr)
        self.assertIn("also declared in", out.stderr)

    # ---- Fault 5: a dead letter after completion ---------------------------

    def test_a_dead_letter_after_completion_fails_the_instance(self):
        flow = self.write("late.flow", """
event Done { key id: string }
service Archive { consumes Done builtin "no-such-sink" }
flow Late { start Done end Done on Done -> Archive }
""")
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin=event_line("Done", {"id": "7"}))
        self.assertEqual(out.returncode, 3, out.stderr)
        records = dump(self.journal)
        self.assertEqual([r["status"] for r in kinds(records, "instance")], ["active", "completed", "failed"])
        out = run([FLOWRT, "dossier", "--journal", self.journal, "--key", "7", "--json"])
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(json.loads(out.stdout)["instances"][0]["status"], "failed")

    # ---- Fault 6: a start for a finished key --------------------------------

    def test_a_start_for_a_finished_key_begins_a_new_instance(self):
        flow = self.write("orders.flow", ORDERS)
        for backend in BACKENDS:
            journal = os.path.join(self.dir, "journal-" + backend)
            lines = (event_line("OrderPlaced", {"order": "42", "amount": 1}) +
                     event_line("OrderPaid", {"order": "42"}) +
                     event_line("OrderPlaced", {"order": "42", "amount": 2}))
            out = run([FLOWRT, "run", flow, "--journal", journal, "--backend", backend], stdin=lines)
            self.assertEqual(out.returncode, 0, out.stderr)
            # A later run: the key's newest instance is running, the payment
            # joins it; then a third order 42 begins a third instance.
            out = run([FLOWRT, "run", flow, "--journal", journal, "--backend", backend],
                      stdin=event_line("OrderPaid", {"order": "42"}) +
                      event_line("OrderPlaced", {"order": "42", "amount": 3}))
            self.assertEqual(out.returncode, 0, out.stderr)
            records = dump(journal)
            placed = [e for e in kinds(records, "event") if e["type"] == "OrderPlaced"]
            ids = [e["instance"] for e in placed]
            self.assertEqual(ids[0], "42")
            self.assertEqual(len(set(ids)), 3, ids)
            self.assertTrue(all(i.startswith("42~") for i in ids[1:]), ids)
            paid = [e["instance"] for e in kinds(records, "event") if e["type"] == "OrderPaid"]
            self.assertEqual(paid, ids[:2], "each payment joined the instance running then")
            out = run([FLOWRT, "dossier", "--journal", journal, "--key", "42"])
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertIn("3 instances of key 42, newest first", out.stdout)
            listed = [line.split()[0] for line in out.stdout.splitlines()[2:5]]
            self.assertEqual(listed, list(reversed(ids)))
            self.assertIn("instance " + ids[2] + "  key 42: active", out.stdout)
            out = run([FLOWRT, "dossier", "--journal", journal, "--key", "42", "--json"])
            shown = json.loads(out.stdout)
            self.assertEqual([i["instance"] for i in shown["instances"]], [ids[2]])
            self.assertEqual([(i["instance"], i["status"]) for i in shown["instances_of_key"]],
                             [(ids[2], "active"), (ids[1], "completed"), (ids[0], "completed")])
            out = run([FLOWRT, "dossier", "--journal", journal, "--instance", ids[0], "--json"])
            self.assertEqual(json.loads(out.stdout)["instances"][0]["status"], "completed")
            # The export has one row per instance.
            db = os.path.join(self.dir, backend + ".db")
            out = run([FLOWRT, "journal", "export", "--journal", journal, "-o", db])
            self.assertEqual(out.returncode, 0, out.stderr)
            with sqlite3.connect(db) as c:
                rows = c.execute("SELECT DISTINCT instance FROM instances ORDER BY instance").fetchall()
            self.assertEqual(sorted(r[0] for r in rows), sorted(ids))

    # ---- Fault 7: an unconditional cycle ------------------------------------

    def test_an_unconditional_cycle_is_cut_at_the_chain_limit(self):
        flow = self.write("cycle.flow", CYCLE)
        for backend in BACKENDS:
            journal = os.path.join(self.dir, "journal-" + backend)
            lines = event_line("Ping", {"id": "a", "n": 0}) + event_line("Ping", {"id": "b", "n": 0})
            out = run([FLOWRT, "run", flow, "--journal", journal, "--backend", backend, "--max-chain", "50"],
                      stdin=lines, timeout=60)
            self.assertEqual(out.returncode, 3, out.stderr)
            self.assertIn("causal chain longer than 50 events", out.stderr)
            records = dump(journal)
            for key in ["a", "b"]:
                events = [e for e in kinds(records, "event") if e["instance"] == key]
                self.assertEqual(len(events), 50, "the run goes on with the next input")
                dead = [d for d in kinds(records, "dead-letter") if d["instance"] == key]
                self.assertEqual(len(dead), 1)
                self.assertIn("causal chain longer than 50", dead[0]["error"])
                self.assertEqual(dead[0]["reason"], "chain_too_long")
        # The default limit, 10,000 events per input.
        out = run([FLOWRT, "run", flow, "--journal", self.journal, "--fsync", "never"],
                  stdin=event_line("Ping", {"id": "c", "n": 0}), timeout=120)
        self.assertEqual(out.returncode, 3, out.stderr)
        self.assertIn("causal chain longer than 10000 events", out.stderr)
        self.assertEqual(len(kinds(dump(self.journal), "event")), 10000)

    def test_a_cycle_through_an_exec_service_is_cut_too(self):
        app = os.path.join(self.dir, "app")
        os.makedirs(app)
        shutil.copy(os.path.join(CASES, "echo_ping.py"), app)
        flow = os.path.join(app, "echo.flow")
        with open(flow, "w") as f:
            f.write(CYCLE.replace(
                'service ToPong { consumes p: Ping publishes Pong emit Pong { id: p.id, n: p.n + 1 } }',
                'service ToPong { consumes Ping publishes Pong exec "python3 echo_ping.py" }'))
        out = run([FLOWRT, "run", flow, "--journal", self.journal, "--max-chain", "9"],
                  stdin=event_line("Ping", {"id": "x", "n": 0}), timeout=60)
        self.assertEqual(out.returncode, 3, out.stderr)
        records = dump(self.journal)
        self.assertEqual(len(kinds(records, "event")), 9)
        dead = kinds(records, "dead-letter")
        self.assertEqual(len(dead), 1)
        self.assertIn("causal chain longer than 9", dead[0]["error"])
        self.assertEqual(dead[0]["reason"], "chain_too_long")

    # ---- Fault 8: artifacts can be moved --------------------------------------

    def test_a_moved_artifact_finds_its_services(self):
        app = self.faults_app()
        out_dir = os.path.join(self.dir, "out")
        os.makedirs(out_dir)
        # As a user types it: paths relative to the working directory.
        out = run([FLOWC, "build", "app/faults.flow", "-o", "out/faults.flowc"], cwd=self.dir)
        self.assertEqual(out.returncode, 0, out.stderr)
        job = event_line("Job", {"id": "j-1", "mode": "ok"})
        out = run([FLOWRT, "run", "faults.flowc", "--journal", "journal"], stdin=job, cwd=out_dir)
        self.assertEqual(out.returncode, 0, out.stderr)
        # The sources' folder moved away: --services-dir names the new one.
        moved = os.path.join(self.dir, "moved")
        os.rename(app, moved)
        out = run([FLOWRT, "run", "faults.flowc", "--journal", "journal2"], stdin=job, cwd=out_dir)
        self.assertEqual(out.returncode, 3, out.stderr)
        out = run([FLOWRT, "run", "faults.flowc", "--journal", "journal3", "--services-dir", moved], stdin=job,
                  cwd=out_dir)
        self.assertEqual(out.returncode, 0, out.stderr)
        results = [e for e in kinds(dump(os.path.join(out_dir, "journal3")), "event") if e["type"].endswith("Result")]
        self.assertEqual(len(results), 1)

    # ---- journal export to standard output ----------------------------------

    def test_export_without_output_writes_json_lines_to_stdout(self):
        flow = self.write("orders.flow", ORDERS)
        out = run([FLOWRT, "run", flow, "--journal", self.journal],
                  stdin=event_line("OrderPlaced", {"order": "1", "amount": 1}))
        self.assertEqual(out.returncode, 0, out.stderr)
        out = run([FLOWRT, "journal", "export", "--journal", self.journal])
        self.assertEqual(out.returncode, 0, out.stderr)
        tables = {json.loads(line)["table"] for line in out.stdout.splitlines()}
        self.assertIn("events", tables)
        out = run([FLOWRT, "journal", "export", "--journal", self.journal, "--format", "sqlite"])
        self.assertEqual(out.returncode, 2)
        self.assertIn("SQLite needs a file", out.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
