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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from journal_json import flatten_decisions, masked_record_crc  # noqa: E402

FLOWC, FLOWRT, REPO = (os.path.abspath(a) for a in sys.argv[1:4])  # the tests change directory
CASES = os.path.join(REPO, "tests", "runtime", "cases")
EXAMPLES = os.path.join(REPO, "examples")


def run(args, stdin=None, timeout=120, cwd=None, env=None):
    return subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)


def dump(journal):
    out = run([FLOWRT, "journal", "dump", "--journal", journal, "--json"])
    assert out.returncode == 0, out.stderr
    return flatten_decisions(json.loads(line) for line in out.stdout.splitlines())



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


def example_outcome(folder):
    """An example's expected-outcome.txt: (flow file, input file, exit
    status, the lines of `flowrt dossier --all` without the LAST column)."""
    flow = data = status = None
    rows = []
    with open(os.path.join(folder, "expected-outcome.txt")) as f:
        for line in f.read().splitlines():
            words = line.split()
            if not words or line.startswith("#"):
                continue
            if words[0] == "run":
                flow, data = words[1], words[2]
            elif words[0] == "service":
                continue  # example_service()
            elif words[0] == "exit":
                status = int(words[1])
            else:
                rows.append(words)
    return flow, data, status, rows


def example_service(folder):
    """The `service SCRIPT ADDRESS` line of an example's expected-outcome.txt:
    an HTTP service its flow names at ADDRESS (host:port), or None."""
    with open(os.path.join(folder, "expected-outcome.txt")) as f:
        for line in f.read().splitlines():
            words = line.split()
            if words and words[0] == "service":
                return words[1], words[2]
    return None


def start_example_service(folder, flow, service, cwd):
    """Starts an example's HTTP service on a free port (`SCRIPT --port 0`,
    which prints "listening on http://HOST:PORT") and writes a copy of its
    flow that names that port into `cwd`. Returns (process, the copy)."""
    script, address = service
    proc = subprocess.Popen([sys.executable, os.path.join(folder, script), "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    listening = proc.stdout.readline().split()[-1]  # http://HOST:PORT
    with open(os.path.join(folder, flow)) as f:
        text = f.read()
    copy = os.path.join(cwd, flow)
    with open(copy, "w") as f:
        f.write(text.replace("http://" + address, listening))
    return proc, copy


def examples():
    """Every example folder (one with a .flow file), sorted."""
    return [name for name in sorted(os.listdir(EXAMPLES))
            if os.path.isdir(os.path.join(EXAMPLES, name))
            and any(f.endswith(".flow") for f in os.listdir(os.path.join(EXAMPLES, name)))]


def dossier_rows(journal):
    """`flowrt dossier --all` as word lists, without the LAST (time) column."""
    out = run([FLOWRT, "dossier", "--journal", journal, "--all"])
    assert out.returncode == 0, out.stderr
    lines = [line.split() for line in out.stdout.splitlines() if line.strip()]
    return lines[:1] + [words[:4] + words[5:] for words in lines[1:]]


class FlowrtTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="flowrt-e2e-")
        self.journal = os.path.join(self.dir, "journal")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def verify(self):
        self.verify_journal(self.journal)

    def verify_journal(self, journal):
        out = run([FLOWRT, "journal", "verify", "--journal", journal])
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("journal ok", out.stdout)

    def test_order_to_cash_end_to_end(self):
        example = os.path.join(EXAMPLES, "order-to-cash")
        out = run([FLOWRT, "run", os.path.join(example, "orders.flow"), "--journal", self.journal,
                   "--input", os.path.join(example, "orders.jsonl")])
        self.assertEqual(out.returncode, 3, out.stderr)  # line 5 is invalid on purpose
        self.assertIn("rejected input line 5: field 'items[1].qty': expected int, found string", out.stderr)
        self.assertIn("4 accepted, 1 rejected", out.stderr)
        self.assertIn("[shop.orders.Payment] capturing 250.00 for 1001", out.stderr)
        records = dump(self.journal)
        events = kinds(records, "event")
        by_type = {}
        for e in events:
            by_type[e["type"].split(".")[-1]] = by_type.get(e["type"].split(".")[-1], 0) + 1
        self.assertEqual(by_type, {"OrderPlaced": 4, "OrderApproved": 3, "ReviewRequested": 3,
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
        self.assertIn('"qty":"two"', rejected[0]["raw"])
        self.assertEqual(len(kinds(records, "definition")), 1)
        # Nested data and decimals travel as sent: the order's money keeps
        # its text ("12500.00", "0.10") in the journal and in every event a
        # service emitted from it, the exec ones included.
        text = run([FLOWRT, "journal", "dump", "--journal", self.journal]).stdout.splitlines()
        o3 = next(line for line in text if " id=o-3 " in line)
        self.assertIn('"total":12500.00', o3)
        self.assertIn('{"price":2100.00,"qty":5,"sku":"DESK-2","tags":["b2b"]}', o3)
        of_1004 = [line for line in text if " event " in line and " instance=1004 " in line]
        self.assertEqual(len(of_1004), 4)
        for line in of_1004:
            self.assertIn('"price":0.10', line)
            self.assertIn('"total":4200.00', line)
            self.assertIn('"city":"Brussels"', line)
        # 1004 is reviewed for its bulk line: explain names the line.
        res = run([FLOWRT, "explain", "--journal", self.journal, "--event", "o-4"])
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn('BulkItem = true\n          any(items) decided by items[0] = LineItem { sku: "PEN-3", qty: 12, '
                      'price: 0.10d, tags: [] }', res.stdout)
        res = run([FLOWRT, "explain", "--journal", self.journal, "--event", "o-4", "--json"])
        rules = json.loads(res.stdout)["events"][0]["subscriptions"][0]["rules"][0]["children"]
        bulk = next(r for r in rules if r["name"] == "shop.orders.BulkItem")
        self.assertEqual(bulk["witnesses"], [{"quantifier": "any", "list": "items", "index": 0,
                                              "element": 'LineItem { sku: "PEN-3", qty: 12, price: 0.10d, tags: [] }'}])
        self.verify()

    def test_replay_of_a_changed_nested_rule(self):
        # BulkItem over the line items, with the bulk quantity raised from 10
        # to 20: replay names the order whose branch changes (1004, reviewed
        # for its 12 pens) and the rule values behind it, on both back ends'
        # journals alike.
        example = os.path.join(EXAMPLES, "order-to-cash")
        with open(os.path.join(example, "orders.flow")) as f:
            source = f.read()
        self.assertIn("const BULK_QTY = 10", source)
        changed = os.path.join(self.dir, "changed.flow")
        with open(changed, "w") as f:
            f.write(source.replace("const BULK_QTY = 10", "const BULK_QTY = 20"))
        os.symlink(os.path.join(example, "services"), os.path.join(self.dir, "services"))
        for backend in ["jit", "interp"]:
            journal = os.path.join(self.dir, "j-" + backend)
            out = run([FLOWRT, "run", os.path.join(example, "orders.flow"), "--journal", journal, "--backend",
                       backend, "--input", os.path.join(example, "orders.jsonl")], cwd=example)
            self.assertEqual(out.returncode, 3, out.stderr)
            res = run([FLOWRT, "replay", "--journal", journal, "--with", changed, "--json"])
            self.assertEqual(res.returncode, 0, res.stderr)
            replay = json.loads(res.stdout)
            self.assertEqual(replay["events"]["changed"], 1, res.stdout)
            self.assertEqual([m["instances"] for m in replay["moves"]], [["1004"]])
            text = run([FLOWRT, "replay", "--journal", journal, "--with", changed]).stdout
            self.assertIn("BulkItem true -> false", text)

    def test_every_example_runs_with_its_input(self):
        # Each example folder states what it runs and how that ends in its
        # expected-outcome.txt (examples/*/README.md): the exit status of
        # `flowrt run` and `flowrt dossier --all` (statuses per instance and
        # flow). Run in a folder of its own: sinks write to the working directory.
        self.assertIn("travel-booking", examples())
        for name in examples():
            folder = os.path.join(EXAMPLES, name)
            with self.subTest(example=name):
                self.assertTrue(os.path.exists(os.path.join(folder, "expected-outcome.txt")),
                                "every example has an expected-outcome.txt")
                flow, data, status, rows = example_outcome(folder)
                self.assertTrue(flow and data and status is not None and rows, "run, exit and rows are given")
                cwd = os.path.join(self.dir, name)
                os.makedirs(cwd)
                service, flow_path = None, os.path.join(folder, flow)
                if example_service(folder):
                    service, flow_path = start_example_service(folder, flow, example_service(folder), cwd)
                try:
                    out = run([FLOWRT, "run", flow_path, "--journal", "journal",
                               "--input", os.path.join(folder, data)], cwd=cwd)
                finally:
                    if service:
                        service.kill()
                        service.wait()
                journal = os.path.join(cwd, "journal")
                self.assertEqual(out.returncode, status, out.stderr)
                self.assertEqual(dossier_rows(journal), rows)
                # The same statuses, from the journal's own instance records.
                got = {(inst, flow_): st for (inst, flow_), st in statuses(dump(journal)).items()}
                want = {(r[0], flow_status.split("=")[0]): flow_status.split("=")[1]
                        for r in rows[2:] for flow_status in r[4:]}
                self.assertEqual(got, want)
                verify = run([FLOWRT, "journal", "verify", "--journal", journal])
                self.assertEqual(verify.returncode, 0, verify.stdout)

    def test_every_example_run_script(self):
        # examples/*/run.sh: one command, from any working directory, with the
        # tools given by FLOWC/FLOWRT; exits 0 when the outcome is expected.
        env = dict(os.environ, FLOWC=FLOWC, FLOWRT=FLOWRT)
        for name in examples():
            with self.subTest(example=name):
                script = os.path.join(EXAMPLES, name, "run.sh")
                self.assertTrue(os.access(script, os.X_OK), "run.sh exists and is executable")
                work = os.path.join(self.dir, "run-" + name)
                out = run([script, work], cwd=self.dir, env=env)
                self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
                self.assertIn("outcome matches expected-outcome.txt", out.stdout)
                self.assertIn("== flowrt dossier --key", out.stdout)
                self.assertTrue(os.path.isdir(os.path.join(work, "journal")))

    def test_travel_booking_two_flows_share_events(self):
        # One booking is an instance of two flows started by the same event;
        # billing branches on the events fulfilment publishes; a dead letter
        # raises an alert (std.runtime); invoices and alerts go to JSON-lines
        # sinks, relative to the working directory.
        folder = os.path.join(EXAMPLES, "travel-booking")
        out = run([FLOWRT, "run", os.path.join(folder, "booking.flow"), "--journal", "journal",
                   "--input", os.path.join(folder, "bookings.jsonl")], cwd=self.dir)
        self.assertEqual(out.returncode, 3, out.stderr)
        records = dump(self.journal)
        events = kinds(records, "event")
        count = {}
        for e in events:
            count[e["type"].split(".")[-1]] = count.get(e["type"].split(".")[-1], 0) + 1
        self.assertEqual(count, {"TripBooked": 7, "VisaCleared": 2, "TripConfirmed": 5, "TripCancelled": 2,
                                 "PaymentCaptured": 1, "InvoiceIssued": 3, "BillingVoided": 2,
                                 "DeliveryDeadLettered": 1, "OpsAlert": 1})
        entered = {}
        for r in kinds(records, "instance"):
            entered.setdefault(r["instance"], set()).add(r["flow"].split(".")[-1])
        for key in ["B-101", "B-102", "B-103", "B-104", "B-106", "B-107"]:
            self.assertEqual(entered[key], {"TripFulfilment", "TripBilling"}, key)
        self.assertEqual(entered["B-105"], {"TripFulfilment", "TripBilling", "Alerting"})
        cancelled = {e["instance"]: e["data"]["reason"] for e in events if e["type"].endswith("TripCancelled")}
        self.assertEqual(cancelled, {"B-103": "no visa for a DE passport to IN", "B-106": "hotel sold out"})
        # Each flow decides on its own branch of the shared events.
        by_id = {e["id"]: e for e in events}
        flows_deciding = {}
        for d in kinds(records, "decision"):
            flows_deciding.setdefault(by_id[d["event"]]["type"].split(".")[-1], set()).add(d["flow"].split(".")[-1])
        self.assertEqual(flows_deciding, {"TripBooked": {"TripFulfilment"}, "TripConfirmed": {"TripBilling"}})

        def lines(path):
            with open(os.path.join(self.dir, path)) as f:
                text = f.read()
            self.assertTrue(text.endswith("\n"))
            return [json.loads(line) for line in text.splitlines()]
        invoices = lines("out/invoices.jsonl")
        self.assertEqual(sorted((i["data"]["booking_id"], i["data"]["total"], i["data"]["due_days"],
                                 i["data"]["invoice_no"]) for i in invoices),
                         [("B-102", 5400.0, 60, "INV-B-102"), ("B-104", 1290.0, 30, "INV-B-104"),
                          ("B-107", 610.0, 30, "INV-B-107")])
        for line in invoices:
            self.assertEqual(list(line), ["specversion", "type", "id", "source", "time", "data"])
            self.assertEqual((line["specversion"], line["type"], line["source"]),
                             ("1.0", "InvoiceIssued", "travel.booking.InvoiceCompany"))
            self.assertRegex(line["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
            self.assertEqual(line["data"], by_id[line["id"]]["data"], "the line is the journaled event")
        alerts = lines("out/alerts.jsonl")
        self.assertEqual([a["data"] for a in alerts], [{
            "instance": "B-105", "service_name": "travel.booking.ChargeCard",
            "error": "card tok-expired-0419 declined: expired", "severity": "ticket"}])
        self.verify()

    def sink_flow(self, path, second_path=None):
        """A flow whose Export service appends each Shipped event to `path`,
        and whose ExportClosed appends each Closed event to `second_path`."""
        source = f"""module sinks
event Shipped {{ key order: string, amount: float, note: string?, tags: list<string> = [] }}
event Closed {{ key order: string, total: float }}
service Export {{ consumes Shipped builtin "jsonl:{path}" }}
service Close {{ consumes s: Shipped publishes Closed emit Closed {{ order: s.order, total: s.amount * 2.0 }} }}
service ExportClosed {{ consumes Closed builtin "jsonl:{second_path or path}" }}
flow Shipping {{
  start Shipped
  end   Closed
  on Shipped -> Export, Close
  on Closed  -> ExportClosed
}}
"""
        flow = os.path.join(self.dir, "sinks.flow")
        with open(flow, "w") as f:
            f.write(source)
        return flow

    SHIPPED = [
        '{"specversion":"1.0","type":"Shipped","id":"s-1","source":"shop","time":"2026-11-20T09:15:00Z",'
        '"data":{"order":"A-1","amount":12.5,"note":"fragile \\"glass\\"","tags":["x","y"]}}',
        '{"type":"Shipped","id":"s-2","source":"shop","time":"2026-11-20T09:16:30.250Z",'
        '"data":{"order":"B-2","amount":3.0}}',
    ]

    def test_jsonl_sink_appends_each_event_as_one_line(self):
        # Two sink services name one file with two spellings: they share it,
        # and the lines come in dispatch order.
        flow = self.sink_flow("out/shipped.jsonl", "./out/../out/shipped.jsonl")
        for fsync in ["batch", "always", "never"]:
            with self.subTest(fsync=fsync):
                cwd = os.path.join(self.dir, fsync)
                os.makedirs(cwd)
                out = run([FLOWRT, "run", flow, "--journal", "journal", "--fsync", fsync], cwd=cwd,
                          stdin="\n".join(self.SHIPPED) + "\n")
                self.assertEqual(out.returncode, 0, out.stderr)
                with open(os.path.join(cwd, "out", "shipped.jsonl")) as f:
                    text = f.read()
                lines = text.split("\n")
                self.assertEqual(lines[-1], "", "every line ends with a newline")
                lines = lines[:-1]
                self.assertEqual(len(lines), 4, text)
                # Events from outside keep their id, source and time (written
                # with microseconds when it has a fraction): exact lines.
                self.assertEqual(lines[0], '{"specversion":"1.0","type":"Shipped","id":"s-1","source":"shop",'
                                           '"time":"2026-11-20T09:15:00Z","data":{"order":"A-1","amount":12.5,'
                                           '"note":"fragile \\"glass\\"","tags":["x","y"]}}')
                self.assertEqual(lines[2], '{"specversion":"1.0","type":"Shipped","id":"s-2","source":"shop",'
                                           '"time":"2026-11-20T09:16:30.250000Z","data":{"order":"B-2","amount":3.0,'
                                           '"note":null,"tags":[]}}')
                # Emitted events: the journal's id, the service as source.
                records = dump(os.path.join(cwd, "journal"))
                closed = [e for e in kinds(records, "event") if e["type"] == "sinks.Closed"]
                for line, event in zip([lines[1], lines[3]], closed):
                    got = json.loads(line)
                    self.assertEqual(got["id"], event["id"])
                    self.assertEqual(line, '{"specversion":"1.0","type":"Closed","id":"' + event["id"] +
                                     '","source":"sinks.Close","time":"' + got["time"] + '","data":' +
                                     json.dumps(event["data"], separators=(",", ":")) + "}")
                self.assertEqual([json.loads(l)["data"]["total"] for l in (lines[1], lines[3])], [25.0, 6.0])
                self.assertEqual(len([a for a in kinds(records, "attempt") if a["outcome"] == "ok"]), 6)
        # A second run appends after the first.
        cwd = os.path.join(self.dir, "batch")
        out = run([FLOWRT, "run", flow, "--journal", "journal2"], cwd=cwd, stdin=self.SHIPPED[1] + "\n")
        self.assertEqual(out.returncode, 0, out.stderr)
        with open(os.path.join(cwd, "out", "shipped.jsonl")) as f:
            lines = f.read().splitlines()
        self.assertEqual(len(lines), 6)
        self.assertEqual(json.loads(lines[4])["id"], "s-2")

    def test_jsonl_sink_unwritable_path_is_dead_lettered(self):
        # A path through a regular file, a path that is a folder: each
        # delivery fails with the reason and is dead-lettered; the run goes
        # on (the emit service still runs) and exits 3.
        os.makedirs(os.path.join(self.dir, "a-folder"))
        with open(os.path.join(self.dir, "blocker"), "w") as f:
            f.write("not a folder\n")
        flow = self.sink_flow("blocker/shipped.jsonl", "a-folder")
        out = run([FLOWRT, "run", flow, "--journal", "journal"], cwd=self.dir, stdin="\n".join(self.SHIPPED) + "\n")
        self.assertEqual(out.returncode, 3, out.stderr)
        self.assertIn("cannot create the folder of sink file 'blocker/shipped.jsonl': Not a directory", out.stderr)
        self.assertIn("cannot open sink file 'a-folder': Is a directory", out.stderr)
        self.assertIn("4 dead-lettered", out.stderr)
        records = dump(self.journal)
        dead = kinds(records, "dead-letter")
        self.assertEqual(sorted((d["service"], d["attempts"]) for d in dead),
                         [("sinks.Export", 1)] * 2 + [("sinks.ExportClosed", 1)] * 2)
        failed = [a for a in kinds(records, "attempt") if a["outcome"] != "ok"]
        self.assertEqual(len(failed), 4)
        self.assertTrue(all(a["error"].startswith("cannot ") for a in failed))
        self.assertEqual(len([e for e in kinds(records, "event") if e["type"] == "sinks.Closed"]), 2)
        self.verify()

    def test_definition_history_script(self):
        # examples/order-to-cash/history.sh: orders.flow, then
        # history/orders-v2.flow (REVIEW_LIMIT 1000.00d -> 2000.00d) on the same
        # journal; each event is explained under its own definition.
        # v2 is orders.flow but for its header comment and the threshold.
        folder = os.path.join(EXAMPLES, "order-to-cash")
        with open(os.path.join(folder, "orders.flow")) as f:
            v1_lines = f.read().splitlines()
        with open(os.path.join(folder, "history", "orders-v2.flow")) as f:
            v2_lines = f.read().splitlines()
        while v2_lines and v2_lines[0].startswith("//"):
            v2_lines.pop(0)
        self.assertTrue(any(l.startswith("const REVIEW_LIMIT = 1000.00d") for l in v1_lines))
        self.assertTrue(any(l.startswith("const REVIEW_LIMIT = 2000.00d") for l in v2_lines))
        self.assertEqual([l.split() for l in v1_lines if "REVIEW_LIMIT =" not in l],
                         [l.split() for l in v2_lines if "REVIEW_LIMIT =" not in l],
                         "history/orders-v2.flow differs from orders.flow only in REVIEW_LIMIT")
        work = os.path.join(self.dir, "history")
        env = dict(os.environ, FLOWC=FLOWC, FLOWRT=FLOWRT)
        out = run([os.path.join(EXAMPLES, "order-to-cash", "history.sh"), work], cwd=self.dir, env=env)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        journal = os.path.join(work, "journal")
        defs = kinds(dump(journal), "definition")
        self.assertEqual(len(defs), 2)
        self.assertNotEqual(defs[0]["hash"], defs[1]["hash"])
        explained = {}
        for event in ("o-2", "o-6"):
            res = run([FLOWRT, "explain", "--journal", journal, "--event", event, "--json"])
            self.assertEqual(res.returncode, 0, res.stderr)
            explained[event] = json.loads(res.stdout)["events"][0]
        v1, v2 = explained["o-2"], explained["o-6"]
        self.assertEqual((v1["definition"]["version"], v1["definition"]["hash"], v1["definition"]["source"]),
                         (1, defs[0]["hash"], "orders.flow"))
        self.assertEqual((v2["definition"]["version"], v2["definition"]["hash"], v2["definition"]["source"]),
                         (2, defs[1]["hash"], "history/orders-v2.flow"))
        # The same order (1800 from the US): reviewed under v1, approved under v2.
        self.assertEqual([s["result"] for s in v1["subscriptions"]], ["fired", "not fired"])
        self.assertEqual([s["result"] for s in v2["subscriptions"]], ["not fired", "fired"])
        self.assertEqual(v1["subscriptions"][0]["trace"], [{"name": "shop.orders.HighValue", "value": "true"},
                                                           {"name": "shop.orders.Domestic", "value": "false"},
                                                           {"name": "shop.orders.NeedsReview", "value": "true"}])
        self.assertEqual(v2["subscriptions"][0]["trace"], [{"name": "shop.orders.HighValue", "value": "false"},
                                                           {"name": "shop.orders.BulkItem", "value": "false"},
                                                           {"name": "shop.orders.TotalMismatch", "value": "false"},
                                                           {"name": "shop.orders.NeedsReview", "value": "false"}])
        # The script's own output shows both, under their versions and hashes.
        self.assertIn("definition v1 " + defs[0]["hash"], out.stdout)
        self.assertIn("definition v2 " + defs[1]["hash"], out.stdout)
        self.assertIn("(instances: 1002)", out.stdout)
        res = run([FLOWRT, "replay", "--journal", journal, "--with",
                   os.path.join(EXAMPLES, "order-to-cash", "history", "orders-v2.flow"), "--json"])
        self.assertEqual(res.returncode, 0, res.stderr)
        replay = json.loads(res.stdout)
        self.assertEqual(replay["same_as_version"], 2)
        self.assertEqual(replay["events"]["changed"], 1)
        self.assertEqual([m["instances"] for m in replay["moves"]], [["1002"]])

    def test_jit_and_interpreter_decide_alike(self):
        # Every example, run once per back end: the same decisions, rule
        # values and events (ids and times aside).
        for name in examples():
            folder = os.path.join(EXAMPLES, name)
            flow, data, _, _ = example_outcome(folder)
            seen = {}
            for backend in ["jit", "interp"]:
                cwd = os.path.join(self.dir, f"{name}-{backend}")
                os.makedirs(cwd)
                journal = os.path.join(cwd, "journal")
                run([FLOWRT, "run", os.path.join(folder, flow), "--journal", journal, "--backend", backend,
                     "--input", os.path.join(folder, data)], cwd=cwd)
                records = dump(journal)
                decisions = sorted((d["flow"], d["subscription"], d["result"], json.dumps(d["rules"]))
                                   for d in kinds(records, "decision"))
                # std.runtime events carry a wall-clock time and an event id
                # that depends on when services answered: left out.
                runtime_only = ("at", "event_id", "input_id")
                events = sorted((e["type"], e["instance"], json.dumps(
                    {k: v for k, v in e["data"].items() if not (e["type"].startswith("std.runtime.")
                                                                 and k in runtime_only)}, sort_keys=True))
                    for e in kinds(records, "event"))
                seen[backend] = (decisions, events)
            with self.subTest(example=name):
                self.assertTrue(seen["jit"][0])
                self.assertEqual(seen["jit"], seen["interp"])

    def test_emit_transforms_fill_every_kind_of_field(self):
        # Slot copies of present and absent optionals, literals (string,
        # none, list), compiled initialisers and defaults, on both back ends.
        placed = [
            {"id": "a", "amount": 10.25, "note": "hi", "flag": True, "count": 3, "tags": ["x", "y"],
             "tier": "Gold", "at": "2026-01-02T03:04:05Z"},
            {"id": "b", "amount": -1.5, "note": None, "flag": False, "count": -7, "tier": "Bronze",
             "at": "2026-01-02T03:04:05.123456Z"},
            # Larger than the engine's first text buffer: its text must survive the growth.
            {"id": "c", "amount": 0.125, "note": "n" * 3000, "flag": True, "count": 0, "tags": ["t"] * 500,
             "tier": "Gold", "at": "2026-01-02T03:04:05Z"},
        ]
        lines = "".join(event_line("Placed", data, f"p{i}") for i, data in enumerate(placed))
        expected = []
        for data in placed:
            full = dict(data, tags=data.get("tags", []))
            priced = dict(full, doubled=data["amount"] * 2, label="fixed", missing=None, extra=[1, 2, 3], gold=False)
            done = {"id": data["id"], "note": data["note"], "total": data["amount"] * 3, "label": "fixed",
                    "tier": data["tier"]}
            expected += [("test.transforms.Placed", full), ("test.transforms.Priced", priced),
                         ("test.transforms.Done", done)]
        self.assert_events_on_both_back_ends("transforms.flow", lines, expected)

    def test_an_emit_of_literals_after_the_trigger_s_fields(self):
        # The text after the trigger's fields is written once per plan and
        # reused: each event still gets its own data, on both back ends.
        placed = [{"id": "a", "amount": 1.5, "note": "x", "tags": ["p", "q"], "tier": "Gold"},
                  {"id": "b", "amount": -2.0, "note": None, "tier": "Bronze"},
                  {"id": "c", "amount": 1e300, "note": "\u00e9\"", "tags": [], "tier": "Gold"}]
        lines = "".join(event_line("Placed", data, f"p{i}") for i, data in enumerate(placed))
        expected = []
        for data in placed:
            full = dict(data, tags=data.get("tags", []))
            expected += [("test.tail.Placed", full),
                         ("test.tail.Labelled", dict(full, label='fixed "quoted"', missing=None, flag=True, count=7,
                                                     rate=0.5, tier_again="Gold"))]
        self.assert_events_on_both_back_ends("constant_tail.flow", lines, expected)

    def assert_events_on_both_back_ends(self, case, lines, expected):
        """Runs tests/runtime/cases/`case` on `lines` with each back end: the
        journal's events, as (type, data), must be `expected`."""
        for backend in ["jit", "interp"]:
            with self.subTest(backend=backend):
                journal = os.path.join(self.dir, f"journal-{case}-{backend}")
                out = run([FLOWRT, "run", os.path.join(CASES, case), "--journal", journal, "--backend", backend],
                          stdin=lines)
                self.assertEqual(out.returncode, 0, out.stderr)
                events = [(e["type"], e["data"]) for e in kinds(dump(journal), "event")]
                self.assertEqual(events, expected)

    def test_each_segment_lists_the_names_its_records_refer_to(self):
        # Runs of one definition go on in the segment (same list of names);
        # another definition starts a segment with its own list; every
        # record decodes and the dump shows the names spelt out.
        flow = os.path.join(CASES, "transforms.flow")
        placed = {"id": "a", "amount": 1.5, "note": None, "flag": True, "count": 1, "tier": "Gold",
                  "at": "2026-01-02T03:04:05Z"}
        for i in range(2):
            out = run([FLOWRT, "run", flow, "--journal", self.journal],
                      stdin=event_line("Placed", dict(placed, id=f"k{i}"), f"p{i}"))
            self.assertEqual(out.returncode, 0, out.stderr)
        other = os.path.join(self.dir, "other.flow")
        with open(flow) as f:
            text = f.read()
        with open(other, "w") as f:
            f.write(text.replace('label: "fixed"', 'label: "changed"'))
        out = run([FLOWRT, "run", other, "--journal", self.journal],
                  stdin=event_line("Placed", dict(placed, id="k2"), "p2"))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.verify()
        records = dump(self.journal)
        names = kinds(records, "names")
        self.assertEqual(len(names), 2)
        self.assertEqual(records[0]["kind"], "names")
        self.assertIn("test.transforms.Placed", names[0]["names"])
        self.assertEqual(names[0]["names"], sorted(names[0]["names"]))
        self.assertEqual(len(kinds(records, "definition")), 2)
        events = kinds(records, "event")
        self.assertEqual([e["type"] for e in events], ["test.transforms.Placed", "test.transforms.Priced",
                                                       "test.transforms.Done"] * 3)
        self.assertEqual({e["definition"] for e in events[:6]}, {kinds(records, "definition")[0]["hash"]})
        self.assertEqual(events[-1]["data"]["label"], "changed")
        self.assertEqual(len([f for f in os.listdir(self.journal) if f.endswith(".fj")]), 2)
        attempts = kinds(records, "attempt")
        self.assertEqual({(a["flow"], a["service"]) for a in attempts},
                         {("test.transforms.Transforms", "test.transforms.Price"),
                          ("test.transforms.Transforms", "test.transforms.Finish")})

    def test_decisions_records_follow_every_event_s_own_rule_values(self):
        # Many events whose conditions take every combination of outcomes:
        # each decisions record holds that event's own rule values (the
        # engine reuses the encoding of a record with the same outcomes).
        flow = os.path.join(REPO, "bench", "runtime", "orders_bench.flow")
        orders = []
        for i in range(400):
            orders.append({"order_id": str(i), "customer": f"c{i}", "email": ("fraud@x" if i % 7 == 0 else f"c{i}@x"),
                           "country": ["NL", "BE", "GB", "US"][i % 4], "city": "X",
                           "amount": [5.5, 150.0, 2500.25, 20000.0][(i // 4) % 4], "items": (i % 5) - 1,
                           "channel": ["Web", "Store", "Phone", "Partner"][(i // 16) % 4],
                           "placed_at": "2026-01-02T03:04:05Z"})
        lines = "".join(event_line("OrderPlaced", o, f"o-{o['order_id']}") for o in orders)
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin=lines)
        self.assertEqual(out.returncode, 0, out.stderr)
        records = dump(self.journal)
        data_of = {e["id"]: e["data"] for e in kinds(records, "event")}

        def value(rule, o):
            return {"Small": o["amount"] < 100, "Medium": 100 <= o["amount"] < 1000,
                    "Large": 1000 <= o["amount"] < 10000, "Huge": o["amount"] >= 10000,
                    "Domestic": o["country"] in ("NL", "BE", "LU"), "Online": o["channel"] in ("Web", "Partner"),
                    "Fraudulent": o["items"] < 0 or o["email"].startswith("fraud@")}[rule]
        checked = 0
        for d in kinds(records, "decision"):
            o = data_of[d["event"]]
            for rule in d["rules"]:
                self.assertEqual(rule["value"], "true" if value(rule["name"].split(".")[-1], o) else "false",
                                 (d["event"], rule["name"]))
                checked += 1
        self.assertGreater(checked, 400 * 6)
        self.verify()

        # Conditions whose results are the same for different rule values
        # (Big == Urgent holds for true/true and false/false).
        journal = os.path.join(self.dir, "either")
        asked = [{"id": f"a{i}", "amount": 500.0 if i % 2 else 5.0, "urgent": (i // 2) % 2 == 1} for i in range(40)]
        out = run([FLOWRT, "run", os.path.join(CASES, "either.flow"), "--journal", journal],
                  stdin="".join(event_line("Asked", a, f"q{i}") for i, a in enumerate(asked)))
        self.assertEqual(out.returncode, 0, out.stderr)
        records = dump(journal)
        data_of = {e["id"]: e["data"] for e in kinds(records, "event")}
        decisions = kinds(records, "decision")
        self.assertEqual(len(decisions), 80)
        for d in decisions:
            a = data_of[d["event"]]
            expected = {"test.either.Big": a["amount"] > 100, "test.either.Urgent": a["urgent"]}
            self.assertEqual({r["name"]: r["value"] == "true" for r in d["rules"]}, expected, d["event"])

    def test_a_wrong_list_of_names_is_reported_not_trusted(self):
        # A well-framed `names` record whose list is too short: the records
        # that refer past it do not decode, and every reader says so
        # instead of crashing or showing wrong names.
        flow = os.path.join(CASES, "transforms.flow")
        placed = {"id": "a", "amount": 1.5, "note": None, "flag": True, "count": 1, "tier": "Gold",
                  "at": "2026-01-02T03:04:05Z"}
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin=event_line("Placed", placed, "p0"))
        self.assertEqual(out.returncode, 0, out.stderr)
        path = os.path.join(self.journal, "segment-000001.fj")
        with open(path, "rb") as f:
            data = f.read()
        length = int.from_bytes(data[32:36], "little")
        self.assertEqual(data[40], 9)  # the segment starts with its names
        names = b"\x02\x01\x01a"  # a list of one name, "a"
        frame = len(names).to_bytes(4, "little") + masked_record_crc(9, names).to_bytes(4, "little") + b"\x09" + names
        with open(path, "wb") as f:
            f.write(data[:32] + frame + data[41 + length:])
        out = run([FLOWRT, "journal", "verify", "--journal", self.journal])
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("does not decode", out.stdout)
        self.assertIn("journal has problems", out.stdout)
        out = run([FLOWRT, "journal", "dump", "--journal", self.journal])
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("does not decode", out.stderr)
        self.assertNotIn("event ", out.stdout.replace("#", ""))  # no event shown with wrong names
        for args in (["dossier", "--all"], ["explain", "--event", "p0"]):
            out = run([FLOWRT, *args, "--journal", self.journal])
            self.assertIn(out.returncode, (0, 1), out.stderr)  # an answer or "not found", not a crash
            self.assertIn("the journal has 1 damaged part(s)", out.stderr)
        # A run on it says what it could not take over, and goes on in a
        # segment of its own.
        out = run([FLOWRT, "run", flow, "--journal", self.journal], stdin=event_line("Placed", placed, "p1"))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("instance or definition record(s) do not decode", out.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.journal, "segment-000002.fj")))

    def test_condition_that_fails_is_journaled_as_an_error_on_both_back_ends(self):
        # Split's rule divides by `parts`: 0 fails it. The failing condition
        # is "error" (treated as false), the other subscription still fires,
        # and the rule values are the same from the JIT and the interpreter.
        flow = os.path.join(self.dir, "split.flow")
        with open(flow, "w") as f:
            f.write("""module split
event Order { key id: string  total: int  parts: int  label: string }
event Routed { ...Order, route: string }
rule Big(o: Order) = o.total / o.parts > 10
rule Labelled(o: Order) = o.label != ""
decision Size(o: Order) -> int {
  else => o.total / 2
}
rule Sized(o: Order) = Size(o) > 3
service Fine { consumes o: Order publishes Routed emit Routed { ...o, route: "fine" } }
service Coarse { consumes o: Order publishes Routed emit Routed { ...o, route: "coarse" } }
flow Split {
  start Order
  end Routed
  on Order when Big and Labelled -> Fine
  on Order when Sized and not Big -> Coarse
}
""")
        lines = event_line("Order", {"id": "a", "total": 100, "parts": 0, "label": "x"}, "o-a") + \
            event_line("Order", {"id": "b", "total": 100, "parts": 5, "label": "x"}, "o-b")
        seen = {}
        for backend in ["jit", "interp"]:
            journal = os.path.join(self.dir, f"split-{backend}")
            out = run([FLOWRT, "run", flow, "--journal", journal, "--backend", backend], stdin=lines)
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertIn("failed: division by zero", out.stderr)
            self.assertIn("; treated as false", out.stderr)
            decisions = [(d["event"], d["subscription"], d["result"], d.get("error"), d["rules"])
                         for d in kinds(dump(journal), "decision")]
            seen[backend] = decisions
        self.assertEqual(seen["jit"], seen["interp"])
        by_event = {(e, s): (result, error, rules) for e, s, result, error, rules in seen["jit"]}
        result, error, rules = by_event[("o-a", 0)]
        self.assertEqual(result, "error")
        self.assertTrue(error.startswith("division by zero"), error)
        self.assertEqual(rules, [{"name": "split.Big", "value": "error"}])
        result, error, rules = by_event[("o-a", 1)]
        self.assertEqual(result, "error")  # `not Big` fails the same way
        self.assertEqual(rules, [{"name": "split.Size", "value": "50"}, {"name": "split.Sized", "value": "true"},
                                 {"name": "split.Big", "value": "error"}])
        result, _, rules = by_event[("o-b", 0)]
        self.assertEqual(result, "fired")
        self.assertEqual(rules, [{"name": "split.Big", "value": "true"}, {"name": "split.Labelled", "value": "true"}])

    def test_input_files_of_every_shape_are_read_whole(self):
        # A mapped input file: lines up to its very end (with and without a
        # final newline, ending exactly at a page boundary), blank and CRLF
        # lines, an empty file, and the same lines through a pipe.
        flow = os.path.join(self.dir, "ping.flow")
        with open(flow, "w") as f:
            f.write("module ping\nevent Ping { key id: string  note: string }\n"
                    "event Pong { ...Ping }\nservice Echo { consumes p: Ping publishes Pong emit Pong { ...p } }\n"
                    "flow P {\n  start Ping\n  end Pong\n  on Ping -> Echo\n}\n")

        def ping(i, pad=0):
            return json.dumps({"specversion": "1.0", "type": "Ping", "source": "t", "id": f"p-{i}",
                               "data": {"id": str(i), "note": "x" * pad}})

        lines = [ping(i) for i in range(5)]
        body = "\n".join(lines)
        # Pad the last line so that the file ends exactly at 8192 bytes.
        head = "\n".join(lines[:-1]) + "\n"
        last = ping(4, 8192 - len(head) - len(ping(4)))
        shapes = {
            "no-final-newline": (body, 5),
            "final-newline": (body + "\n", 5),
            "crlf-and-blank": ("\r\n".join(lines) + "\r\n\n\n", 5),
            "page-boundary": (head + last, 5),
            "page-boundary-newline": (head + last[:-1] + "\n", 4),  # the cut line is no longer JSON
            "empty": ("", 0),
        }
        for name, (text, accepted) in shapes.items():
            with self.subTest(shape=name):
                path = os.path.join(self.dir, name + ".jsonl")
                with open(path, "w", newline="") as f:
                    f.write(text)
                if name.startswith("page-boundary"):
                    self.assertEqual(os.path.getsize(path), 8192)
                for how in ["file", "pipe"]:
                    journal = os.path.join(self.dir, f"j-{name}-{how}")
                    if how == "file":
                        out = run([FLOWRT, "run", flow, "--journal", journal, "--input", path])
                    else:
                        out = run([FLOWRT, "run", flow, "--journal", journal], stdin=text)
                    self.assertIn(f"{accepted} accepted", out.stderr)
                    events = kinds(dump(journal), "event")
                    self.assertEqual(len(events), 2 * accepted)

    def test_a_flow_with_errors_is_reported_not_crashed_on(self):
        # The diagnostics point into the source files of the program that
        # failed: they must be printed before it goes (run and replay).
        flow = os.path.join(self.dir, "broken.flow")
        with open(flow, "w") as f:
            f.write("module broken\nevent A { key id: string }\nrule R(a: A) = = a.id\n")
        out = run([FLOWRT, "run", flow, "--journal", os.path.join(self.dir, "jb")], stdin="")
        self.assertEqual(out.returncode, 1, out.stderr)
        self.assertIn("broken.flow:3:16: error[E0001]", out.stderr)
        self.assertIn("rule R(a: A) = = a.id", out.stderr)
        out = run([FLOWRT, "replay", "--journal", os.path.join(self.dir, "jb"), "--with", flow])
        self.assertEqual(out.returncode, 1, out.stderr)
        self.assertIn("broken.flow:3:16: error[E0001]", out.stderr)

    def test_built_artifact_runs_like_sources(self):
        example = os.path.join(EXAMPLES, "order-to-cash")
        app = os.path.join(self.dir, "orders.flowc")
        out = run([FLOWC, "build", os.path.join(example, "orders.flow"), "-o", app])
        self.assertEqual(out.returncode, 0, out.stderr)
        out = run([FLOWRT, "run", app, "--journal", self.journal, "--input", os.path.join(example, "orders.jsonl")])
        self.assertEqual(out.returncode, 3, out.stderr)
        self.assertEqual(len(kinds(dump(self.journal), "event")), 14)
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
        self.assertEqual({i: d["reason"] for i, d in dead.items()},
                         {"j1-error": "error", "j2-crash": "process_died", "j3-garbage": "invalid_output",
                          "j4-undeclared": "undeclared_event", "j5-invalid": "invalid_event", "j7-hang": "timeout"})
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

    def test_timed_out_alerts_on_a_real_timeout_only_on_both_back_ends(self):
        # std.runtime's TimedOut tests the dead letter's reason: a service
        # that sleeps past its timeout raises the alert, an error answer
        # does not.
        flow = os.path.join(CASES, "timeouts.flow")
        env = dict(os.environ, FLOW_TEST_DIR=self.dir)
        lines = event_line("Job", {"id": "j-hang", "mode": "hang"}) + event_line("Job", {"id": "j-err", "mode": "error"})
        for backend in ["jit", "interp"]:
            with self.subTest(backend=backend):
                journal = os.path.join(self.dir, f"journal-{backend}")
                out = run([FLOWRT, "run", flow, "--journal", journal, "--backend", backend], stdin=lines, env=env)
                self.assertEqual(out.returncode, 3, out.stderr)
                records = dump(journal)
                alerted = [e["data"]["instance"] for e in kinds(records, "event") if e["type"].endswith("Alerted")]
                self.assertEqual(alerted, ["j-hang"])
                reasons = {d["instance"]: d["reason"] for d in kinds(records, "dead-letter")}
                self.assertEqual(reasons, {"j-hang": "timeout", "j-err": "error"})
                raised = {e["data"]["instance"]: e["data"]["reason"] for e in kinds(records, "event")
                          if e["type"] == "std.runtime.DeliveryDeadLettered"}
                self.assertEqual(raised, {"j-hang": "Timeout", "j-err": "Error"})
                human = run([FLOWRT, "journal", "dump", "--journal", journal]).stdout
                self.assertIn("reason=timeout", human)
                self.verify_journal(journal)

    def test_a_timeout_does_not_fail_the_deliveries_beside_it(self):
        # Concurrency 4, retry 0: one job hangs past its timeout while three
        # slow but healthy ones, sent later, are still in flight when it is
        # killed. They are sent again, uncharged, and delivered: one ok
        # attempt each, numbered 1; only the hung one is dead-lettered.
        flow = os.path.join(CASES, "timeouts.flow")
        env = dict(os.environ, FLOW_TEST_DIR=self.dir)
        proc = subprocess.Popen([FLOWRT, "run", flow, "--journal", self.journal], stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        proc.stdin.write(event_line("Job", {"id": "j-hang", "mode": "hang"}))
        proc.stdin.flush()
        deadline = time.monotonic() + 30
        while not os.path.exists(os.path.join(self.dir, "hung-j-hang")):
            self.assertLess(time.monotonic(), deadline, "the worker never got the job")
            time.sleep(0.05)
        # Half-way to the hung job's 3 s timeout: the slow ones (2 s each)
        # are in flight when it expires, and would be done 0.5 s later.
        time.sleep(1.5)
        proc.stdin.write("".join(event_line("Job", {"id": f"j-slow{i}", "mode": "slow"}) for i in range(3)))
        proc.stdin.close()
        stderr = proc.stderr.read()
        proc.stderr.close()
        self.assertEqual(proc.wait(timeout=60), 3, stderr)
        records = dump(self.journal)
        attempts = sorted((a["instance"], a["attempt"], a["outcome"]) for a in kinds(records, "attempt")
                          if a["service"] == "timeouts.Worker")
        self.assertEqual(attempts, [("j-hang", 1, "timeout")] + [(f"j-slow{i}", 1, "ok") for i in range(3)])
        self.assertEqual([(d["instance"], d.get("reason")) for d in kinds(records, "dead-letter")],
                         [("j-hang", "timeout")])
        self.assertIn("is sent again, not counted as an attempt", stderr)
        state = statuses(records)
        for i in range(3):
            self.assertEqual(state[(f"j-slow{i}", "Jobs")], "completed")
        self.assertEqual(state[("j-hang", "Jobs")], "failed")
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



class FlowcAdapterTest(unittest.TestCase):
    """`flowrt run X.flow` compiles through flowc in a child process; when
    that child cannot run or dies, flowrt says so and runs nothing."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="flowrt-adapter-")
        self.flow = os.path.join(EXAMPLES, "order-to-cash", "orders.flow")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_with_flowc(self, flowc):
        env = dict(os.environ, FLOWC=flowc)
        journal = os.path.join(self.dir, "journal")
        out = run([FLOWRT, "run", self.flow, "--journal", journal, "--input", "/dev/null"], env=env)
        self.assertFalse(os.path.exists(os.path.join(journal, "segment-000001.fj")), "nothing may run")
        return out

    def test_a_missing_compiler_is_named(self):
        out = self.run_with_flowc("/nonexistent/flowc")
        self.assertEqual(out.returncode, 1, out.stderr)
        self.assertIn("cannot run the compiler '/nonexistent/flowc'", out.stderr)
        self.assertIn("set FLOWC", out.stderr)

    def test_a_compiler_killed_on_the_way_is_reported_with_its_signal(self):
        script = os.path.join(self.dir, "flowc")
        with open(script, "w") as f:
            f.write("#!/bin/sh\nkill -9 $$\n")
        os.chmod(script, 0o755)
        out = self.run_with_flowc(script)
        self.assertEqual(out.returncode, 1, out.stderr)
        self.assertIn("was killed by signal 9 while compiling", out.stderr)


class JitModulesTest(unittest.TestCase):
    """flowrt loads LLVM only from its two JIT modules beside it: the small
    libflowjit-cached.so that links machine code from the object cache, and
    libflowjit.so, the whole back end, for a program the cache lacks."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="flowrt-jit-")
        self.cache = os.path.join(self.dir, "cache")
        self.app = os.path.join(self.dir, "app.flowc")
        folder = os.path.join(EXAMPLES, "order-to-cash")
        flow, data, self.status, _ = example_outcome(folder)
        out = run([FLOWC, "build", os.path.join(folder, flow), "-o", self.app])
        self.assertEqual(out.returncode, 0, out.stderr)
        with open(os.path.join(folder, data)) as f:
            self.input = f.read()

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_app(self, name, backend="jit", module_dir=None):
        env = dict(os.environ, FLOW_CACHE_DIR=self.cache)
        if module_dir:
            env["FLOW_JIT_MODULE_DIR"] = module_dir
        journal = os.path.join(self.dir, "journal-" + name)
        out = run([FLOWRT, "run", self.app, "--journal", journal, "--backend", backend], stdin=self.input, env=env)
        return out, journal

    def module_dir(self, *names):
        """A folder holding only the named modules of this build."""
        folder = tempfile.mkdtemp(dir=self.dir)
        for name in names:
            os.symlink(os.path.join(os.path.dirname(FLOWRT), name), os.path.join(folder, name))
        return folder

    def outcome(self, out, journal):
        summary = [line for line in out.stderr.splitlines() if "events" in line and " s, " not in line]
        return summary, statuses(dump(journal))

    def test_the_second_run_links_what_the_first_compiled_and_both_decide_like_the_interpreter(self):
        first, first_journal = self.run_app("compiled")
        self.assertEqual(first.returncode, self.status, first.stderr)
        self.assertIn("rules: native code, compiled in", first.stderr)
        second, second_journal = self.run_app("cached")
        self.assertEqual(second.returncode, self.status, second.stderr)
        self.assertIn("rules: native code, linked from the object cache in", second.stderr)
        interp, interp_journal = self.run_app("interp", backend="interp")
        self.assertIn("rules: interpreted", interp.stderr)
        expected = self.outcome(interp, interp_journal)
        self.assertEqual(self.outcome(first, first_journal), expected)
        self.assertEqual(self.outcome(second, second_journal), expected)

    def test_a_warm_cache_needs_only_the_small_module(self):
        self.assertEqual(self.run_app("fill")[0].returncode, self.status)
        out, _ = self.run_app("warm", module_dir=self.module_dir("libflowjit-cached.so"))
        self.assertEqual(out.returncode, self.status, out.stderr)
        self.assertIn("linked from the object cache", out.stderr)

    def test_a_cold_cache_without_the_back_end_is_a_clear_error(self):
        folder = self.module_dir("libflowjit-cached.so")
        out, _ = self.run_app("cold", module_dir=folder)
        self.assertEqual(out.returncode, 1, out.stderr)
        self.assertIn("cannot compile the rules to native code: cannot load the JIT module", out.stderr)
        self.assertIn(os.path.join(folder, "libflowjit.so"), out.stderr)

    def test_a_corrupt_module_is_a_clear_error_and_the_interpreter_needs_none(self):
        folder = tempfile.mkdtemp(dir=self.dir)
        for name in ["libflowjit.so", "libflowjit-cached.so"]:
            with open(os.path.join(folder, name), "wb") as f:
                f.write(b"not a shared object")
        out, _ = self.run_app("corrupt", module_dir=folder)
        self.assertEqual(out.returncode, 1, out.stderr)
        self.assertIn("cannot load the JIT module", out.stderr)
        out, journal = self.run_app("interp", backend="interp", module_dir=folder)
        self.assertEqual(out.returncode, self.status, out.stderr)
        # The queries never load a module either.
        env = dict(os.environ, FLOW_JIT_MODULE_DIR=folder)
        dossier = run([FLOWRT, "dossier", "--journal", journal, "--all"], env=env)
        self.assertEqual(dossier.returncode, 0, dossier.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
