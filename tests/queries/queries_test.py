#!/usr/bin/env python3
"""Tests of the journal queries, as a user runs them: flowrt dossier,
explain, replay, journal export and the query index (docs/journal.md
"Queries").

- Golden outputs of dossier, explain and replay on the order-to-cash
  example and tests/queries/cases/contracts.flow, in both formats. Times
  and hashes vary between runs and are normalised; the order-to-cash input
  is run one line per `flowrt run`, so exec services answer in a fixed
  order and event ids and sequence numbers are the same on every run.
  Every scenario runs on both back ends (`flowrt run --backend jit` and
  `--backend interp`) and the answers over either journal must equal the
  same golden files. FLOW_UPDATE_GOLDEN=1 rewrites them (from the jit run;
  the interp run is still compared).
- dossier --at at every step of a scenario equals a model computed here
  from the records whose journal time is <= the moment.
- replay: changed thresholds (a constant, a quantifier's bound) change
  exactly the hand-computed events and instances; the unchanged definition
  changes nothing; removed types and fields are reported.
- Definition history: two runs with different thresholds, explain shows
  each event under its own version.
- export: SQL counts and joins against the records of `journal dump`;
  questions over the orders' nested data with json_extract and json_each.
- A journal of the old record format (tests/queries/fixtures) reads as one
  written now by the same program.
- The query index: deleted, corrupted, truncated, stale or describing
  another journal, it is rebuilt and the answers stay the same.

usage: queries_test.py FLOWRT REPO_DIR"""
import calendar
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
from decimal import Decimal

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from golden import UPDATE, compare_golden  # noqa: E402
from journal_json import flatten_decisions  # noqa: E402

FLOWRT, REPO = sys.argv[1], sys.argv[2]
HERE = os.path.join(REPO, "tests", "queries")
CASES = os.path.join(HERE, "cases")
GOLDEN = os.path.join(HERE, "golden")
# The order-to-cash example as it was when the v1 fixture journal was written
# (flat orders: country, amount: float, items: int; fixtures/README.md).
EXAMPLE_V1 = os.path.join(HERE, "fixtures", "order-to-cash-v1-source")
BACKENDS = ("jit", "interp")  # the first one writes the goldens under FLOW_UPDATE_GOLDEN=1


def run(args, cwd=None, timeout=120, stdin=None):
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=timeout, input=stdin)


def flowrt(*args, cwd=None, ok=True):
    out = run([FLOWRT, *args], cwd=cwd)
    if ok and out.returncode != 0:
        raise AssertionError(f"flowrt {' '.join(args)} failed ({out.returncode}): {out.stderr}")
    return out


def micros(text):
    """RFC 3339 UTC text -> microseconds since the epoch, exactly."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?Z", text)
    assert m, text
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    frac = int((m.group(7) or "0").ljust(6, "0"))
    return calendar.timegm((y, mo, d, h, mi, s)) * 1_000_000 + frac


def text_of(us):
    secs, frac = divmod(us, 1_000_000)
    import time
    base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs))
    return base + (f".{frac:06d}".rstrip("0") if frac else "") + "Z"


def dump(journal):
    out = flowrt("journal", "dump", "--journal", journal, "--json")
    return flatten_decisions(json.loads(line) for line in out.stdout.splitlines())



OWN_TIME = {"definition": "activated", "event": "dispatched", "attempt": "ended", "dead-letter": "time",
            "rejected": "time", "instance": "time"}


def with_journal_times(records):
    """Adds 'jtime': the running maximum of the records' own times."""
    last = None
    for r in records:
        field = OWN_TIME.get(r["kind"])
        if field:
            t = micros(r[field])
            last = t if last is None else max(last, t)
        r["jtime"] = last
    return records


def normalise(text):
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "<time>", text)
    text = re.sub(r"\b[0-9a-f]{64}\b", "<hash>", text)
    text = re.sub(r"\b[0-9a-f]{12}\b", "<hash>", text)
    return text


def copy_example(dest, name="order-to-cash"):
    shutil.copytree(os.path.join(REPO, "examples", name), dest)
    return dest


def example_journal(dir_, name, flow, inputs, backend, source=None):
    """An example (or `source`, a folder laid out like one), one input line
    per run (see the module doc)."""
    folder = shutil.copytree(source or os.path.join(REPO, "examples", name), os.path.join(dir_, name))
    with open(os.path.join(folder, inputs)) as f:
        lines = f.read().splitlines()
    for i, line in enumerate(lines):
        path = os.path.join(folder, f"line{i + 1}.jsonl")
        with open(path, "w") as f:
            f.write(line + "\n")
        out = run([FLOWRT, "run", flow, "--backend", backend, "--journal", "journal", "--input", path], cwd=folder)
        assert out.returncode in (0, 3), out.stderr
    return folder, os.path.join(folder, "journal")


def order_journal(dir_, backend):
    return example_journal(dir_, "order-to-cash", "orders.flow", "orders.jsonl", backend)


def review_limit(source, limit):
    """orders.flow's source with REVIEW_LIMIT = `limit` (a decimal literal
    such as "2000.00d") instead of 1000.00d."""
    edited = source.replace("const REVIEW_LIMIT = 1000.00d", f"const REVIEW_LIMIT = {limit}")
    assert edited != source, "orders.flow no longer says `const REVIEW_LIMIT = 1000.00d`"
    return edited


def jsonl(event):
    """One input line. Decimal values are written as JSON numbers with their
    digits as given (Decimal("12.50") as 12.50), as a shop sends money."""
    text = json.dumps(event, default=lambda d: f"<decimal {d}>")
    return re.sub(r'"<decimal (-?[0-9.]+)>"', r"\1", text) + "\n"


def us_order(id_, key):
    """An order of 1800.00 shipped to and billed in the US: two lines that add
    up, none in bulk. It needs review while REVIEW_LIMIT is below 1800.00
    (HighValue and not Domestic), and only then."""
    return jsonl({"specversion": "1.0", "type": "OrderPlaced", "id": id_, "source": "shop", "data": {
        "order_id": key, "customer": "Bo",
        "ship_to": {"street": "Main Street 12", "city": "Boston", "country": "US"},
        "bill_to": {"street": "Broadway 200", "city": "New York", "country": "US"},
        "items": [{"sku": "LAMP-9", "qty": 1, "price": Decimal("1750.00"), "tags": ["fragile"]},
                  {"sku": "BULB-2", "qty": 4, "price": Decimal("12.50")}],
        "total": Decimal("1800.00"), "channel": "Phone", "placed_at": "2026-11-20T09:20:00Z"}})


CONTRACT_LINES = [
    {"type": "ContractOpened", "id": "c1-open", "data": {"contract": "c-1", "customer": "Ada", "value": 10.0}},
    {"type": "ContractOpened", "id": "c2-open", "data": {"contract": "c-2", "customer": "Bo", "value": 250000.0}},
    {"type": "ContractSigned", "id": "c1-sign", "data": {"contract": "c-1", "signed_by": "Ada"}},
    {"type": "ContractOpened", "id": "c3-open", "data": {"contract": "c-3", "customer": "Cy", "value": 5.0}},
]


def contracts_journal(dir_, backend):
    folder = os.path.join(dir_, "contracts")
    os.makedirs(folder)
    shutil.copy(os.path.join(CASES, "contracts.flow"), folder)
    stdin = "".join(json.dumps(e) + "\n" for e in CONTRACT_LINES)
    out = run([FLOWRT, "run", "contracts.flow", "--backend", backend, "--journal", "journal"], cwd=folder,
              stdin=stdin)
    assert out.returncode == 3, out.stderr  # c-2's escalation is dead-lettered on purpose
    return folder, os.path.join(folder, "journal")


# Routes of the two processes, by hand: which delivery each event makes.
# (type, subscription) of a conditional route -> its route index (the
# delivery id's middle number); unconditional routes per type.
ORDER_ROUTES = {"cond": {("OrderPlaced", 0): 0, ("OrderPlaced", 1): 1},
                "uncond": {"ReviewRequested": [0], "OrderApproved": [0]}}
CONTRACT_ROUTES = {"cond": {("ContractOpened", 1): 1},
                   "uncond": {"ContractOpened": [0], "ContractSigned": [0]}}


def model(records, instance, at, routes):
    """The dossier of `instance` from the records with journal time <= at."""
    flows, events, deliveries = {}, [], {}
    types = {}
    for r in records:
        if r["jtime"] is None:
            continue  # before the first timed record: a segment's list of names
        if r["jtime"] > at:
            break
        k = r["kind"]
        if k == "instance" and r["instance"] == instance:
            flows[r["flow"]] = r["status"]
        elif k == "event" and r["instance"] == instance:
            events.append(r["id"])
            short = r["type"].split(".")[-1]
            types[r["id"]] = short
            for route in routes["uncond"].get(short, []):
                deliveries.setdefault(f"d-{r['id']}.{route}.0", "pending")
        elif k == "decision" and r["event"] in types and r["result"] == "fired":
            route = routes["cond"][(types[r["event"]], r["subscription"])]
            deliveries.setdefault(f"d-{r['event']}.{route}.0", "pending")
        elif k == "attempt" and r["instance"] == instance:
            if deliveries.get(r["delivery"]) not in ("ok", "dead-lettered"):
                deliveries[r["delivery"]] = "ok" if r["outcome"] == "ok" else "retrying"
        elif k == "dead-letter" and r["instance"] == instance:
            deliveries[r["delivery"]] = "dead-lettered"
    working = any(s in ("pending", "retrying") for s in deliveries.values())
    activity = "working" if working else "waiting" if "active" in flows.values() else "done"
    status = "failed" if "failed" in flows.values() else \
        "completed" if flows and all(s == "completed" for s in flows.values()) else "active"
    return {"flows": flows, "events": events, "deliveries": deliveries, "activity": activity, "status": status}


def from_dossier(d):
    return {"flows": {f["flow"]: f["status"] for f in d["flows"]},
            "events": [e["id"] for e in d["events"]],
            "deliveries": {x["id"]: x["status"] for x in d["deliveries"]},
            "activity": d["activity"], "status": d["status"]}


class QueriesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="flowrt-queries-")
        # The scenario folders of each back end: orders, contracts, claims, tickets.
        cls.scenarios = {}
        for backend in BACKENDS:
            base = os.path.join(cls.dir, backend)
            os.makedirs(base)
            cls.scenarios[backend] = {
                "orders": order_journal(base, backend)[0],
                "contracts": contracts_journal(base, backend)[0],
                "claims": example_journal(base, "insurance-claim", "claims.flow", "claims.jsonl", backend)[0],
                "tickets": example_journal(base, "support-ticket", "tickets.flow", "tickets.jsonl", backend)[0],
            }
        # The other tests use the first back end's journals.
        first = cls.scenarios[BACKENDS[0]]
        cls.orders, cls.contracts = first["orders"], first["contracts"]
        cls.claims, cls.tickets = first["claims"], first["tickets"]
        cls.orders_journal = os.path.join(cls.orders, "journal")
        cls.contracts_journal = os.path.join(cls.contracts, "journal")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def golden(self, name, text, backend):
        path = os.path.join(GOLDEN, name)
        problem = compare_golden(path, normalise(text), rewrite=UPDATE and backend == BACKENDS[0])
        if problem:
            self.fail(f"on --backend {backend}: {problem}")

    # ---- Golden outputs ----------------------------------------------------

    def test_golden_outputs(self):
        cases = [
            ("dossier_1002", "orders", ["dossier", "--journal", "journal", "--key", "1002"]),
            ("dossier_all", "orders", ["dossier", "--journal", "journal", "--all"]),
            ("explain_o-2", "orders", ["explain", "--journal", "journal", "--event", "o-2"]),
            # Event ids follow the journal's sequence numbers: e11 is the
            # OrderApproved that ManualReview emitted, e12 the PaymentCaptured
            # nothing subscribes to.
            ("explain_emitted", "orders", ["explain", "--journal", "journal", "--event", "e11"]),
            ("explain_payment_captured", "orders", ["explain", "--journal", "journal", "--event", "e12"]),
            ("explain_o-4", "orders", ["explain", "--journal", "journal", "--event", "o-4"]),
            ("dossier_c-2", "contracts", ["dossier", "--journal", "journal", "--key", "c-2"]),
            ("dossier_contracts_all", "contracts", ["dossier", "--journal", "journal", "--all"]),
            ("explain_c2-open", "contracts", ["explain", "--journal", "journal", "--event", "c2-open"]),
            ("claims_all", "claims", ["dossier", "--journal", "journal", "--all"]),
            ("claims_CL-3", "claims", ["dossier", "--journal", "journal", "--key", "CL-3"]),
            ("claims_explain_c-3", "claims", ["explain", "--journal", "journal", "--event", "c-3"]),
            ("tickets_all", "tickets", ["dossier", "--journal", "journal", "--all"]),
            ("tickets_T-1", "tickets", ["dossier", "--journal", "journal", "--key", "T-1"]),
            ("tickets_explain_t-1", "tickets", ["explain", "--journal", "journal", "--event", "t-1"]),
        ]
        for backend in BACKENDS:
            for name, scenario, args in cases:
                for fmt in ("txt", "json"):
                    with self.subTest(golden=name, format=fmt, backend=backend):
                        out = flowrt(*args, *(["--json"] if fmt == "json" else []),
                                     cwd=self.scenarios[backend][scenario])
                        if fmt == "json":
                            json.loads(out.stdout)
                        self.golden(f"{name}.{fmt}", out.stdout, backend)

    def test_golden_replay(self):
        for backend in BACKENDS:
            orders, claims = self.scenarios[backend]["orders"], self.scenarios[backend]["claims"]
            with open(os.path.join(orders, "orders.flow")) as f:
                source = f.read()
            with open(os.path.join(orders, "orders-v2.flow"), "w") as f:
                f.write(review_limit(source, "2000.00d"))
            with open(os.path.join(claims, "claims.flow")) as f:
                source = f.read()
            edited = source.replace("FraudScore(c) >= 50", "FraudScore(c) >= 30")
            self.assertNotEqual(edited, source)
            with open(os.path.join(claims, "claims-strict.flow"), "w") as f:
                f.write(edited)
            for name, cwd, new in (("replay_v2", orders, "orders-v2.flow"), ("replay_same", orders, "orders.flow"),
                                   ("claims_replay_strict", claims, "claims-strict.flow")):
                for fmt in ("txt", "json"):
                    with self.subTest(golden=name, format=fmt, backend=backend):
                        out = flowrt("replay", "--journal", "journal", "--with", new,
                                     *(["--json"] if fmt == "json" else []), cwd=cwd)
                        self.golden(f"{name}.{fmt}", out.stdout, backend)

    # ---- dossier --at ------------------------------------------------------

    def check_at_every_step(self, journal, instances, routes):
        records = with_journal_times(dump(journal))
        times = sorted({r["jtime"] for r in records if r["jtime"] is not None})
        moments = sorted(set(times) | {t - 1 for t in times} | {times[-1] + 1})
        for at in moments:
            for instance in instances:
                expected = model(records, instance, at, routes)
                out = flowrt("dossier", "--journal", journal, "--instance", instance, "--at", text_of(at), "--json",
                             ok=False)
                if not expected["events"] and not expected["flows"]:
                    self.assertEqual(out.returncode, 1, f"{instance} should not exist at {text_of(at)}")
                    continue
                self.assertEqual(out.returncode, 0, out.stderr)
                got = json.loads(out.stdout)["instances"]
                self.assertEqual(len(got), 1)
                self.assertEqual(from_dossier(got[0]), expected, f"{instance} at {text_of(at)}")
            # The listing agrees with the single dossiers.
            out = flowrt("dossier", "--journal", journal, "--all", "--at", text_of(at), "--json")
            listed = {i["instance"]: (i["status"], i["activity"]) for i in json.loads(out.stdout)["instances"]}
            for instance in instances:
                expected = model(records, instance, at, routes)
                if expected["events"] or expected["flows"]:
                    self.assertEqual(listed.get(instance), (expected["status"], expected["activity"]),
                                     f"--all: {instance} at {text_of(at)}")
                else:
                    self.assertNotIn(instance, listed)

    def test_at_every_step_contracts(self):
        self.check_at_every_step(self.contracts_journal, ["c-1", "c-2", "c-3"], CONTRACT_ROUTES)

    def test_at_every_step_orders(self):
        self.check_at_every_step(self.orders_journal, ["1002", "1003", "1004"], ORDER_ROUTES)

    def test_at_shows_waiting_working_and_failed(self):
        records = with_journal_times(dump(self.contracts_journal))
        # Right after the decision to escalate c-2, Archive has run (its
        # delivery is journaled before the next subscription is decided)
        # and Escalate's delivery is pending: the instance is working.
        decision = next(r for r in records if r["kind"] == "decision" and r["event"] == "c2-open")
        later = [r for r in records if r["seq"] > decision["seq"] and r["jtime"] == decision["jtime"]]
        if later:
            self.skipTest("the next record has the same microsecond")
        out = flowrt("dossier", "--journal", self.contracts_journal, "--key", "c-2", "--at",
                     text_of(decision["jtime"]), "--json")
        d = json.loads(out.stdout)["instances"][0]
        self.assertEqual((d["status"], d["activity"]), ("active", "working"))
        self.assertEqual(d["in_progress"], ["d-c2-open.1.0"])
        self.assertEqual([(x["id"], x["status"]) for x in d["deliveries"]],
                         [("d-c2-open.0.0", "ok"), ("d-c2-open.1.0", "pending")])
        out = flowrt("dossier", "--journal", self.contracts_journal, "--key", "c-2", "--json")
        d = json.loads(out.stdout)["instances"][0]
        self.assertEqual((d["status"], d["activity"]), ("failed", "done"))
        self.assertEqual([x["delivery"] for x in d["dead_letters"]], ["d-c2-open.1.0"])
        out = flowrt("dossier", "--journal", self.contracts_journal, "--key", "c-3", "--json")
        d = json.loads(out.stdout)["instances"][0]
        self.assertEqual((d["status"], d["activity"]), ("active", "waiting"))

    def test_all_filters(self):
        def listed(*args):
            out = flowrt("dossier", "--journal", self.contracts_journal, "--all", "--json", *args)
            return sorted(i["instance"] for i in json.loads(out.stdout)["instances"])
        self.assertEqual(listed(), ["c-1", "c-2", "c-3"])
        self.assertEqual(listed("--status", "failed"), ["c-2"])
        self.assertEqual(listed("--status", "waiting"), ["c-3"])
        self.assertEqual(listed("--status", "completed"), ["c-1"])
        self.assertEqual(listed("--flow", "Signing", "--status", "active"), ["c-3"])
        self.assertEqual(listed("--flow", "contracts.Signing"), ["c-1", "c-2", "c-3"])
        self.assertEqual(listed("--flow", "Nope"), [])

    def test_unknown_key_and_event(self):
        out = flowrt("dossier", "--journal", self.contracts_journal, "--key", "nope", ok=False)
        self.assertEqual(out.returncode, 1)
        self.assertIn("no instance with key 'nope'", out.stderr)
        out = flowrt("explain", "--journal", self.contracts_journal, "--event", "nope", ok=False)
        self.assertEqual(out.returncode, 1)
        self.assertIn("no event 'nope'", out.stderr)
        out = flowrt("dossier", "--journal", os.path.join(self.dir, "missing"), "--all", ok=False)
        self.assertEqual(out.returncode, 1)
        out = flowrt("dossier", "--journal", self.contracts_journal, "--all", "--at", "yesterday", ok=False)
        self.assertEqual(out.returncode, 2)

    # ---- explain -----------------------------------------------------------

    def test_explain_tree_and_producer(self):
        out = flowrt("explain", "--journal", self.orders_journal, "--event", "o-2", "--json")
        e = json.loads(out.stdout)["events"][0]
        self.assertEqual(e["definition"]["version"], 1)
        subs = e["subscriptions"]
        self.assertEqual([s["result"] for s in subs], ["fired", "not fired"])
        self.assertEqual(subs[0]["condition"], "NeedsReview")
        tree = subs[0]["rules"]
        self.assertEqual([(n["name"], n["value"]) for n in tree], [("shop.orders.NeedsReview", "true")])
        self.assertEqual([(n["name"], n["value"]) for n in tree[0]["children"]],
                         [("shop.orders.HighValue", "true"), ("shop.orders.Domestic", "false")])
        self.assertEqual(subs[0]["deliveries"][0]["id"], "d-o-2.0.0")
        self.assertEqual(subs[0]["deliveries"][0]["status"], "ok")
        emitted = subs[0]["deliveries"][0]["emitted"]
        self.assertEqual(len(emitted), 1)
        out = flowrt("explain", "--journal", self.orders_journal, "--event", emitted[0], "--json")
        e = json.loads(out.stdout)["events"][0]
        self.assertEqual(e["produced_by"]["event"], "o-2")
        self.assertEqual(e["produced_by"]["delivery"], "d-o-2.0.0")
        self.assertEqual(e["produced_by"]["service"], "shop.orders.RequestReview")
        self.assertEqual(e["produced_by"]["attempt"], 1)
        self.assertEqual([s["result"] for s in e["subscriptions"]], ["fired"])
        self.assertFalse(e["subscriptions"][0]["conditional"])

    # ---- Definition history ------------------------------------------------

    def test_definition_history(self):
        folder = copy_example(os.path.join(self.dir, "history"))
        with open(os.path.join(folder, "orders.flow")) as f:
            source = f.read()
        with open(os.path.join(folder, "orders-v2.flow"), "w") as f:
            f.write(review_limit(source, "2000.00d"))

        first = run([FLOWRT, "run", "orders.flow", "--journal", "journal"], cwd=folder, stdin=us_order("a-1", "2001"))
        self.assertEqual(first.returncode, 0, first.stderr)
        second = run([FLOWRT, "run", "orders-v2.flow", "--journal", "journal"], cwd=folder,
                     stdin=us_order("b-1", "2002"))
        self.assertEqual(second.returncode, 0, second.stderr)
        defs = [r for r in dump(os.path.join(folder, "journal")) if r["kind"] == "definition"]
        self.assertEqual(len(defs), 2)
        self.assertLessEqual(micros(defs[0]["activated"]), micros(defs[1]["activated"]))
        explained = {}
        for event in ("a-1", "b-1"):
            out = flowrt("explain", "--journal", "journal", "--event", event, "--json", cwd=folder)
            explained[event] = json.loads(out.stdout)["events"][0]
        a, b = explained["a-1"], explained["b-1"]
        self.assertEqual((a["definition"]["version"], a["definition"]["hash"]), (1, defs[0]["hash"]))
        self.assertEqual((b["definition"]["version"], b["definition"]["hash"]), (2, defs[1]["hash"]))
        self.assertEqual(a["definition"]["source"], "orders.flow")
        self.assertEqual(b["definition"]["source"], "orders-v2.flow")
        # The same order, 1800 from the US: reviewed under v1, approved under v2.
        self.assertEqual([s["result"] for s in a["subscriptions"]], ["fired", "not fired"])
        self.assertEqual([s["result"] for s in b["subscriptions"]], ["not fired", "fired"])
        self.assertEqual(a["subscriptions"][0]["trace"][0], {"name": "shop.orders.HighValue", "value": "true"})
        self.assertEqual(b["subscriptions"][0]["trace"][0], {"name": "shop.orders.HighValue", "value": "false"})
        out = flowrt("explain", "--journal", "journal", "--event", "b-1", cwd=folder)
        self.assertIn("definition v2", out.stdout)
        # Replay under v1 of the whole history: only b-1 changes (v1 would review it).
        out = flowrt("replay", "--journal", "journal", "--with", "orders.flow", "--json", cwd=folder)
        r = json.loads(out.stdout)
        self.assertEqual(r["same_as_version"], 1)
        self.assertEqual(r["events"]["changed"], 1)
        self.assertEqual([m["instances"] for m in r["moves"]], [["2002"]])
        # dossier shows each event's own version.
        out = flowrt("dossier", "--journal", "journal", "--all", "--json", cwd=folder)
        self.assertEqual(len(json.loads(out.stdout)["instances"]), 2)
        out = flowrt("dossier", "--journal", "journal", "--key", "2002", "--json", cwd=folder)
        versions = {e["id"]: e["definition"]["version"] for e in json.loads(out.stdout)["instances"][0]["events"]}
        self.assertEqual(set(versions.values()), {2})

    # ---- replay ------------------------------------------------------------

    def test_switching_back_records_the_reactivation(self):
        folder = copy_example(os.path.join(self.dir, "switch"))
        with open(os.path.join(folder, "orders.flow")) as f:
            source = f.read()
        with open(os.path.join(folder, "orders-v2.flow"), "w") as f:
            f.write(review_limit(source, "2000.00d"))

        runs = [("orders.flow", "a-1", "3001"), ("orders-v2.flow", "b-1", "3002"), ("orders.flow", "c-1", "3003"),
                ("orders.flow", "d-1", "3004")]
        for flow, id_, key in runs:
            result = run([FLOWRT, "run", flow, "--journal", "journal"], cwd=folder, stdin=us_order(id_, key))
            self.assertEqual(result.returncode, 0, result.stderr)
        defs = [r for r in dump(os.path.join(folder, "journal")) if r["kind"] == "definition"]
        # v1, v2, v1 again; the fourth run (v1 still active) adds nothing.
        self.assertEqual([d["source"] for d in defs], ["orders.flow", "orders-v2.flow", "orders.flow"])
        self.assertEqual(defs[0]["hash"], defs[2]["hash"])
        self.assertNotEqual(defs[0]["hash"], defs[1]["hash"])
        versions = {}
        for event in ("a-1", "b-1", "c-1", "d-1"):
            out = flowrt("explain", "--journal", "journal", "--event", event, "--json", cwd=folder)
            versions[event] = json.loads(out.stdout)["events"][0]["definition"]["version"]
        self.assertEqual(versions, {"a-1": 1, "b-1": 2, "c-1": 1, "d-1": 1})

    def replay(self, source_edit, name):
        path = os.path.join(self.orders, name)
        with open(os.path.join(self.orders, "orders.flow")) as f:
            source = f.read()
        edited = source_edit(source)
        self.assertNotEqual(edited, source)
        with open(path, "w") as f:
            f.write(edited)
        out = flowrt("replay", "--journal", "journal", "--with", name, "--json", cwd=self.orders)
        return json.loads(out.stdout)

    def subscription(self, report, service):
        return next(s for s in report["subscriptions"] if s["services"] == [f"shop.orders.{service}"])

    def test_replay_threshold_changes_exactly_the_expected_events(self):
        # The example's orders (line 5 was rejected): 1001 NL 250.00;
        # 1002 US 1800.00; 1003 DE 12500.00; 1004 BE 4200.00 with a line of
        # 12 pens (qty >= BULK_QTY = 10). Every order's lines add up to its total.
        # NeedsReview = (total > REVIEW_LIMIT and not domestic (NL, BE, LU))
        #               or some line in bulk or the lines do not add up.
        # REVIEW_LIMIT 15000: 1002 and 1003 no longer need review -> AutoApprove;
        # 1004 still does, for its bulk line.
        r = self.replay(lambda s: review_limit(s, "15000.00d"), "limit15000.flow")
        review, auto = self.subscription(r, "RequestReview"), self.subscription(r, "AutoApprove")
        self.assertEqual((review["no_longer_fire"], review["now_fire"]), (2, 0))
        self.assertEqual(review["instances_no_longer_fire"], ["1002", "1003"])
        self.assertEqual((auto["now_fire"], auto["no_longer_fire"]), (2, 0))
        self.assertEqual(auto["instances_now_fire"], ["1002", "1003"])
        self.assertEqual((review["fired_before"], review["fired_after"]), (3, 1))
        self.assertEqual((auto["fired_before"], auto["fired_after"]), (1, 3))
        for s in r["subscriptions"]:
            if s["services"] not in (["shop.orders.RequestReview"], ["shop.orders.AutoApprove"]):
                self.assertFalse(s["changed"], s)
        self.assertEqual(r["changed_decisions"], 4)
        self.assertEqual(r["events"], {"total": 14, "evaluated": 14, "missing_type": 0, "undecodable": 0,
                                       "unknown_definition": 0, "changed": 2})
        self.assertEqual(r["moves"], [{"event_type": "shop.orders.OrderPlaced",
                                       "from": ["shop.orders.RequestReview"], "to": ["shop.orders.AutoApprove"],
                                       "events": 2, "of": 4, "instances": ["1002", "1003"], "instances_total": 2}])
        sample = self.subscription(r, "AutoApprove")["samples"]["now_fire"][0]
        self.assertEqual(sample["event"], "o-2")
        self.assertIn({"name": "shop.orders.HighValue", "before": "true", "after": "false"}, sample["differing"])
        # A changed quantifier rule: bulk from 20 units, 1004's 12 pens no
        # longer are; 4200.00 to BE is high value but domestic: AutoApprove.
        r = self.replay(lambda s: s.replace("const BULK_QTY = 10\n", "const BULK_QTY = 20\n"), "bulk20.flow")
        self.assertEqual(r["events"]["changed"], 1)
        self.assertEqual(self.subscription(r, "RequestReview")["instances_no_longer_fire"], ["1004"])
        self.assertEqual(self.subscription(r, "AutoApprove")["instances_now_fire"], ["1004"])
        sample = self.subscription(r, "AutoApprove")["samples"]["now_fire"][0]
        self.assertEqual(sample["event"], "o-4")
        self.assertIn({"name": "shop.orders.BulkItem", "before": "true", "after": "false"}, sample["differing"])
        # The domestic list without BE: 1004 is now high value and foreign,
        # but it was reviewed already (bulk line): no decision changes.
        r = self.replay(lambda s: s.replace('["NL", "BE", "LU"]', '["NL", "LU"]'), "no-be.flow")
        self.assertEqual(r["events"]["changed"], 0)
        self.assertEqual(r["changed_decisions"], 0)
        # Both changes together: 1004 stays reviewed, now as high value abroad.
        r = self.replay(lambda s: s.replace('["NL", "BE", "LU"]', '["NL", "LU"]')
                        .replace("const BULK_QTY = 10\n", "const BULK_QTY = 20\n"), "no-be-bulk20.flow")
        self.assertEqual(r["events"]["changed"], 0)

    def test_replay_unchanged_definition_reports_no_change(self):
        out = flowrt("replay", "--journal", "journal", "--with", "orders.flow", "--json", cwd=self.orders)
        r = json.loads(out.stdout)
        self.assertEqual(r["changed_decisions"], 0)
        self.assertEqual(r["moves"], [])
        self.assertEqual(r["same_as_version"], 1)
        self.assertTrue(all(not s["changed"] for s in r["subscriptions"]))
        # A built artifact of the same sources is the same definitions too.
        app = os.path.join(self.dir, "orders.flowc")
        build = run([os.path.join(os.path.dirname(os.path.dirname(FLOWRT)), "compiler", "flowc"), "build",
                     os.path.join(self.orders, "orders.flow"), "-o", app])
        if build.returncode == 0:
            out = flowrt("replay", "--journal", "journal", "--with", app, "--json", cwd=self.orders)
            self.assertEqual(json.loads(out.stdout)["changed_decisions"], 0)
        out = flowrt("replay", "--journal", "journal", "--with", "orders.flow", cwd=self.orders)
        self.assertIn("no decision would change", out.stdout)

    def test_replay_reports_types_and_fields_that_no_longer_exist(self):
        def edit(s):
            s = re.sub(r"event OrderRejected +\{ \.\.\.OrderPlaced, reason: string \}\n", "", s)  # any alignment (flowc fmt)
            s = s.replace(", OrderRejected", "").replace("OrderRejected, ", "")
            return s.replace("  placed_at: timestamp\n", "  placed_at: timestamp\n  vat_id: string\n")
        r = self.replay(edit, "no-rejected.flow")
        missing = {m["type"]: m["events"] for m in r["missing_event_types"]}
        self.assertEqual(missing, {"shop.orders.OrderRejected": 1})
        bad = {b["type"]: b for b in r["undecodable"]}
        # Every type includes OrderPlaced's fields, so every event lacks vat_id:
        # the 14 events but the OrderRejected.
        self.assertEqual(sum(b["events"] for b in bad.values()), 13)
        self.assertIn("vat_id", bad["shop.orders.OrderPlaced"]["reason"])
        self.assertEqual(r["events"]["evaluated"], 0)

    # ---- export ------------------------------------------------------------

    def test_export_sqlite_and_jsonl(self):
        for journal in (self.orders_journal, self.contracts_journal):
            with self.subTest(journal=journal):
                records = dump(journal)
                db = os.path.join(self.dir, "export.db")
                flowrt("journal", "export", "--journal", journal, "--format", "sqlite", "-o", db)
                con = sqlite3.connect(db)
                q = lambda sql: con.execute(sql).fetchall()
                count = lambda kind: sum(1 for r in records if r["kind"] == kind)
                self.assertEqual(q("select count(*) from events")[0][0], count("event"))
                self.assertEqual(q("select count(*) from decisions")[0][0], count("decision"))
                self.assertEqual(q("select count(*) from attempts")[0][0], count("attempt"))
                self.assertEqual(q("select count(*) from dead_letters")[0][0], count("dead-letter"))
                # Each dead letter's reason, as journal dump shows it, also on its delivery's row.
                reasons = sorted((r["delivery"], r["reason"]) for r in records if r["kind"] == "dead-letter")
                if journal == self.contracts_journal:
                    self.assertEqual(reasons, [("d-c2-open.1.0", "unknown_builtin")])
                self.assertEqual(sorted(q("select delivery, reason from dead_letters")), reasons)
                self.assertEqual(sorted(q("select id, reason from deliveries where reason is not null")), reasons)
                self.assertEqual(q("select count(*) from rejected")[0][0], count("rejected"))
                self.assertEqual(q("select count(*) from instance_changes")[0][0], count("instance"))
                self.assertEqual(q("select count(*) from definitions")[0][0], count("definition"))
                self.assertEqual(q("select count(*) from decision_rules")[0][0],
                                 sum(len(r["rules"]) for r in records if r["kind"] == "decision"))
                # Every decision joins its event, in the same instance.
                self.assertEqual(q("select count(*) from decisions d join events e on e.seq = d.event_seq "
                                   "and e.id = d.event and e.instance = d.instance")[0][0], count("decision"))
                # Every emitted event joins the delivery that produced it.
                self.assertEqual(q("select count(*) from events e join deliveries d on d.id = e.delivery "
                                   "where e.origin = 'emitted'")[0][0],
                                 sum(1 for r in records if r["kind"] == "event" and r["causation"]))
                # One delivery row per delivery id attempted, all settled here.
                self.assertEqual(q("select count(*) from deliveries")[0][0],
                                 len({r["delivery"] for r in records if r["kind"] == "attempt"}))
                self.assertEqual(q("select count(*) from deliveries where status in ('pending', 'retrying')")[0][0], 0)
                # instances: one row per (instance, flow) with the latest status.
                latest = {}
                for r in records:
                    if r["kind"] == "instance":
                        latest[(r["instance"], r["flow"])] = r["status"]
                self.assertEqual({(a, b): c for a, b, c in q("select instance, flow, status from instances")}, latest)
                # Times read as journal dump writes them.
                events = {r["seq"]: r for r in records if r["kind"] == "event"}
                for seq, t, d in q("select seq, time, dispatched from events"):
                    self.assertEqual((t, d), (events[seq]["time"], events[seq]["dispatched"]))
                attempts = {r["seq"]: r for r in records if r["kind"] == "attempt"}
                for seq, a, b in q("select seq, started, ended from attempts"):
                    self.assertEqual((a, b), (attempts[seq]["started"], attempts[seq]["ended"]))
                # Data is JSON SQLite can query.
                self.assertEqual(q("select count(*) from events where json_valid(data)")[0][0], count("event"))
                con.close()
                # JSON lines: the same rows.
                out = flowrt("journal", "export", "--journal", journal, "--format", "jsonl", "-o", "-")
                rows = [json.loads(line) for line in out.stdout.splitlines()]
                self.assertEqual(sorted((r["delivery"], r["reason"]) for r in rows if r["table"] == "dead_letters"),
                                 reasons)
                con = sqlite3.connect(db)
                for table in ("events", "decisions", "decision_rules", "attempts", "deliveries", "dead_letters",
                              "instance_changes", "instances", "rejected", "definitions"):
                    self.assertEqual(sum(1 for r in rows if r["table"] == table),
                                     con.execute(f"select count(*) from {table}").fetchone()[0], table)
                con.close()

    def test_export_answers_ad_hoc_questions(self):
        db = os.path.join(self.dir, "orders.db")
        flowrt("journal", "export", "--journal", self.orders_journal, "-o", db)
        con = sqlite3.connect(db)
        # Which orders waited for review, and how long (review requested -> decided)?
        rows = con.execute("""
            select r.instance, d.dispatched_us - r.dispatched_us
            from events r join events d on d.causation = r.id
            where r.type = 'shop.orders.ReviewRequested' order by r.instance""").fetchall()
        self.assertEqual([i for i, _ in rows], ["1002", "1003", "1004"])
        self.assertTrue(all(wait > 0 for _, wait in rows))
        # Which instances went through AutoApprove?
        rows = con.execute("""select distinct instance from deliveries
                              where service = 'shop.orders.AutoApprove' and status = 'ok' order by 1""").fetchall()
        self.assertEqual([r[0] for r in rows], ["1001"])
        # Which decisions used HighValue = true?
        rows = con.execute("""select distinct d.event from decisions d join decision_rules r on r.decision_id = d.id
                              where r.name = 'shop.orders.HighValue' and r.value = 'true' order by 1""").fetchall()
        self.assertEqual([r[0] for r in rows], ["o-2", "o-3", "o-4"])
        # Nested data stays JSON: which orders were shipped abroad, and where to?
        placed = "from events where type = 'shop.orders.OrderPlaced'"
        rows = con.execute(f"""select key, json_extract(data, '$.ship_to.country') {placed}
                               and json_extract(data, '$.ship_to.country') not in ('NL', 'BE', 'LU')
                               order by 1""").fetchall()
        self.assertEqual(rows, [("1002", "US"), ("1003", "DE")])
        # Which were billed in another country than shipped to (bill_to is optional)?
        rows = con.execute(f"""select key, json_extract(data, '$.bill_to.country') {placed}
                               and json_extract(data, '$.bill_to.country') != json_extract(data, '$.ship_to.country')
                               """).fetchall()
        self.assertEqual(rows, [("1004", "FR")])
        self.assertEqual(con.execute(f"select count(*) {placed} and json_extract(data, '$.bill_to') is null")
                         .fetchone()[0], 3)
        # The first line's price, as the shop sent it (2 decimals, read as a number).
        rows = con.execute(f"select key, json_extract(data, '$.items[0].price') {placed} order by 1").fetchall()
        self.assertEqual(rows, [("1001", 125.0), ("1002", 1800.0), ("1003", 2100.0), ("1004", 0.1)])
        # Which lines were ordered in bulk (what BulkItem found), in which orders?
        rows = con.execute(f"""select e.key, json_extract(i.value, '$.sku'), json_extract(i.value, '$.qty')
                               from events e, json_each(e.data, '$.items') i
                               where e.type = 'shop.orders.OrderPlaced' and json_extract(i.value, '$.qty') >= 10
                               """).fetchall()
        self.assertEqual(rows, [("1004", "PEN-3", 12)])
        rows = con.execute("""select distinct d.instance from decisions d join decision_rules r on r.decision_id = d.id
                              where r.name = 'shop.orders.BulkItem' and r.value = 'true'""").fetchall()
        self.assertEqual(rows, [("1004",)])
        # Do the lines add up to the total (in cents, so binary floats do not matter)?
        rows = con.execute(f"""select e.key, sum(round(json_extract(i.value, '$.qty') * json_extract(i.value, '$.price')
                                                       * 100)) = round(json_extract(e.data, '$.total') * 100)
                               from events e, json_each(e.data, '$.items') i
                               where e.type = 'shop.orders.OrderPlaced' group by e.key order by 1""").fetchall()
        self.assertEqual(rows, [("1001", 1), ("1002", 1), ("1003", 1), ("1004", 1)])
        # The risk RequestReview gave each reviewed order (a decision's value, in the emitted event).
        rows = con.execute("""select key, json_extract(data, '$.risk') from events
                              where type = 'shop.orders.ReviewRequested' order by 1""").fetchall()
        self.assertEqual(rows, [("1002", "medium"), ("1003", "high"), ("1004", "review")])
        con.close()

    # ---- The query index ---------------------------------------------------

    def answers(self, journal):
        outs = []
        for args in (["dossier", "--key", "c-1", "--json"], ["dossier", "--all", "--json"],
                     ["explain", "--event", "c2-open", "--json"], ["dossier", "--key", "c-2"]):
            outs.append(flowrt(args[0], "--journal", journal, *args[1:]).stdout)
        return outs

    def test_a_journal_written_before_the_format_change_reads_alike(self):
        # tests/queries/fixtures/order-to-cash-v1 (its README says how it was
        # made): record encoding 1 and a `decision` record per subscription,
        # written by the order-to-cash example of that time (flat orders),
        # kept in fixtures/order-to-cash-v1-source. Every query reads it as
        # it reads the journal written now by that same program and input.
        old = os.path.join(self.dir, "v1")
        shutil.copytree(os.path.join(HERE, "fixtures", "order-to-cash-v1"), old)
        now_dir = os.path.join(self.dir, "v1-now")
        os.makedirs(now_dir)
        _, now = example_journal(now_dir, "order-to-cash", "orders.flow", "orders.jsonl", BACKENDS[0],
                                 source=EXAMPLE_V1)
        flowrt("journal", "verify", "--journal", old)
        raw = [json.loads(line) for line in flowrt("journal", "dump", "--journal", old, "--json").stdout.splitlines()]
        self.assertIn("decision", {r["kind"] for r in raw})
        self.assertNotIn("decisions", {r["kind"] for r in raw})
        old_records, new_records = flatten_decisions(raw), dump(now)

        def inputs(records):
            return [e["id"] for e in records if e["kind"] == "event" and e["input_line"] > 0]

        def decisions(records):
            ids = set(inputs(records))
            return sorted((d["event"], d["flow"], d["subscription"], d["result"], json.dumps(d["rules"]))
                          for d in records if d["kind"] == "decision" and d["event"] in ids)

        self.assertEqual(inputs(old_records), inputs(new_records))
        self.assertTrue(decisions(old_records))
        self.assertEqual(decisions(old_records), decisions(new_records))

        def explained(journal, event):
            e = json.loads(flowrt("explain", "--journal", journal, "--event", event, "--json").stdout)["events"][0]
            routes = [(s["flow"], s["subscription"], s["result"], s["value"], json.dumps(s["rules"]))
                      for s in e["subscriptions"]]
            return e["event"]["data"], routes

        for event in inputs(new_records):
            with self.subTest(event=event):
                self.assertEqual(explained(old, event), explained(now, event))

        def dossier(journal, key):
            d = json.loads(flowrt("dossier", "--journal", journal, "--key", key, "--json").stdout)
            text = json.dumps(d)
            return [i["status"] for i in d["instances"]], text.count('"type": "shop.orders.')

        for key in ["1001", "1002", "1003"]:
            with self.subTest(key=key):
                self.assertEqual(dossier(old, key), dossier(now, key))

        replay = json.loads(flowrt("replay", "--journal", old, "--with", os.path.join(EXAMPLE_V1, "orders.flow"),
                                   "--json").stdout)
        self.assertEqual(replay["events"]["changed"], 0)
        self.assertGreater(replay["events"]["total"], 0)

        db = os.path.join(self.dir, "v1.db")
        flowrt("journal", "export", "--journal", old, "--format", "sqlite", "-o", db)
        con = sqlite3.connect(db)
        all_decisions = [r for r in old_records if r["kind"] == "decision"]
        self.assertEqual(con.execute("select count(*) from decisions").fetchone()[0], len(all_decisions))
        self.assertEqual(con.execute("select count(*) from decision_rules").fetchone()[0],
                         sum(len(d["rules"]) for d in all_decisions))
        con.close()

    def test_index_rebuilt_when_deleted_corrupted_or_stale(self):
        folder = os.path.join(self.dir, "index-test")
        shutil.copytree(self.contracts, folder)
        journal = os.path.join(folder, "journal")
        index = os.path.join(journal, "query-index.fji")
        if os.path.exists(index):
            os.remove(index)
        expected = self.answers(journal)
        self.assertTrue(os.path.exists(index), "the index is saved next to the journal")
        out = flowrt("journal", "index", "--journal", journal)
        self.assertIn("index up to date", out.stdout)

        os.remove(index)
        self.assertEqual(self.answers(journal), expected, "deleted")

        size = os.path.getsize(index)
        for offset in (10, size // 2, size - 3):  # header, a table, the CRC table
            with open(index, "r+b") as f:
                f.seek(offset)
                byte = f.read(1)
                f.seek(offset)
                f.write(bytes([byte[0] ^ 0x5A]))
            self.assertEqual(self.answers(journal), expected, f"byte {offset} flipped")
            out = flowrt("journal", "index", "--journal", journal)
            self.assertIn("index up to date", out.stdout, "rebuilt and saved")

        with open(index, "r+b") as f:
            f.truncate(size // 3)
        self.assertEqual(self.answers(journal), expected, "truncated")
        with open(index, "wb") as f:
            f.write(b"garbage")
        self.assertEqual(self.answers(journal), expected, "garbage")

        # The journal grows: the index is updated, the answers include the news.
        out = run([FLOWRT, "run", "contracts.flow", "--journal", "journal"], cwd=folder,
                  stdin=json.dumps({"type": "ContractSigned", "id": "c3-sign",
                                    "data": {"contract": "c-3", "signed_by": "Cy"}}) + "\n")
        self.assertEqual(out.returncode, 0, out.stderr)
        out = flowrt("journal", "index", "--journal", journal)
        self.assertIn("index updated", out.stdout)
        d = json.loads(flowrt("dossier", "--journal", journal, "--key", "c-3", "--json").stdout)["instances"][0]
        self.assertEqual(d["status"], "completed")
        now = self.answers(journal)
        self.assertEqual([now[0], now[2], now[3]], [expected[0], expected[2], expected[3]], "older answers unchanged")
        rebuilt = self.answers(journal)
        flowrt("journal", "index", "--journal", journal, "--rebuild")
        self.assertEqual(self.answers(journal), rebuilt, "an updated index answers like a rebuilt one")

        # Another journal in the same place (same sizes, other times): rebuilt, not misread.
        saved_index = open(index, "rb").read()
        shutil.rmtree(journal)
        stdin = "".join(json.dumps(e) + "\n" for e in CONTRACT_LINES)
        out = run([FLOWRT, "run", "contracts.flow", "--journal", "journal"], cwd=folder, stdin=stdin)
        self.assertEqual(out.returncode, 3, out.stderr)
        with open(index, "wb") as f:
            f.write(saved_index)
        fresh = self.answers(journal)
        os.remove(index)
        self.assertEqual(self.answers(journal), fresh)
        self.assertEqual(normalise("".join(fresh)).replace("\n", ""), normalise("".join(expected)).replace("\n", ""))

    def test_read_only_journal_uses_an_index_in_memory(self):
        if os.geteuid() == 0:
            self.skipTest("root writes into read-only folders")
        folder = os.path.join(self.dir, "read-only")
        shutil.copytree(self.contracts, folder)
        journal = os.path.join(folder, "journal")
        index = os.path.join(journal, "query-index.fji")
        if os.path.exists(index):
            os.remove(index)
        os.chmod(journal, 0o555)
        try:
            out = flowrt("dossier", "--journal", journal, "--key", "c-1", "--json")
            self.assertEqual(json.loads(out.stdout)["instances"][0]["status"], "completed")
            self.assertIn("kept in memory", out.stderr)
        finally:
            os.chmod(journal, 0o755)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
