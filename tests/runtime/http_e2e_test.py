#!/usr/bin/env python3
"""`http` services end to end (serve.md §1): `flowrt run` on a small .flow
whose services are POSTed to a test HTTP server on 127.0.0.1 (port 0),
started by this test. The server answers as each case asks — slowly, with
503, with Retry-After, with 400, by dropping the connection, with events
the service does not publish — and records every request, so the test can
check the journal's attempts and dead letters, the dossier, and what went
over the wire: CloudEvents binary mode, the Idempotency-Key's stability
across retries, keep-alive reuse and the concurrency bound.

usage: http_e2e_test.py FLOWRT"""
import datetime
import email.utils
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

FLOWRT = os.path.abspath(sys.argv[1])


CONCURRENT_JOBS = 6  # deliveries to the service with `concurrency 2`


class Recorder:
    """What the server saw, and the state of the cases that change their
    answer from one attempt to the next."""

    def __init__(self):
        self.lock = threading.Condition()
        self.requests = []  # (path, headers dict, body, client port, time)
        self.count = {}  # path -> requests so far
        self.in_flight = {}  # path -> requests being answered
        self.most_in_flight = {}  # path -> the most at once
        self.release = threading.Event()  # lets the held request go


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    # Headers and body go out in two writes: without this, the second waits
    # for the client's delayed ACK (40 ms a request on a kept-alive connection).
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def leave(self):
        """This request stops counting as in flight: before any byte of the
        answer goes out, so the client cannot send its next request first."""
        rec = self.server.recorder
        with rec.lock:
            if self.counted:
                rec.in_flight[self.path] -= 1
                self.counted = False

    def answer(self, status, body=b"", content_type="application/json", headers=()):
        self.leave()
        self.send_response(status)
        if body or status != 204:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        rec = self.server.recorder
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        path = self.path
        with rec.lock:
            rec.requests.append((path, {k.lower(): v for k, v in self.headers.items()}, body,
                                 self.client_address[1], time.time()))
            n = rec.count[path] = rec.count.get(path, 0) + 1
            rec.in_flight[path] = rec.in_flight.get(path, 0) + 1
            rec.most_in_flight[path] = max(rec.most_in_flight.get(path, 0), rec.in_flight[path])
            rec.lock.notify_all()
        self.counted = True
        try:
            self.respond(path, n, json.loads(body))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout): what the slow case wants
        finally:
            self.leave()

    def emit(self, data):
        quoted = {"id": data["id"], "price": data["amount"] * 2}
        return json.dumps({"emit": [{"type": "Quoted", "data": quoted}]}).encode()

    def respond(self, path, n, data):
        rec = self.server.recorder
        if path == "/ok":
            self.answer(200, self.emit(data))
        elif path == "/batch":
            events = [{"specversion": "1.0", "type": "Quoted", "id": "q-" + data["id"], "source": "test",
                       "data": {"id": data["id"], "price": 7}}]
            self.answer(200, json.dumps(events).encode(), "application/cloudevents-batch+json")
        elif path == "/none":
            self.answer(204)
        elif path == "/slow":
            if n == 1:
                time.sleep(1.5)  # beyond the service's timeout
            self.answer(200, self.emit(data))
        elif path == "/flaky":
            if n <= 2:
                self.answer(503, b"overloaded", "text/plain")
            else:
                self.answer(200, self.emit(data))
        elif path == "/retry-after-seconds":
            if n == 1:
                self.answer(429, b"", headers=[("Retry-After", "1")])
            else:
                self.answer(200, self.emit(data))
        elif path == "/retry-after-date":
            if n == 1:
                later = email.utils.formatdate(time.time() + 2, usegmt=True)
                self.answer(503, b"", headers=[("Retry-After", later)])
            else:
                self.answer(200, self.emit(data))
        elif path == "/bad":
            self.answer(400, b"no such customer", "text/plain")
        elif path == "/drop-once":
            if n == 1:
                # Half an answer, then the connection is gone.
                self.leave()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.write(b'{"emit":')
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.answer(200, self.emit(data))
        elif path == "/drop":
            # No answer at all. (libcurl sends a request again at once, once,
            # when a reused connection closes like this: every try fails.)
            self.leave()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif path == "/undeclared":
            self.answer(200, json.dumps({"emit": [{"type": "Job", "data": data}]}).encode())
        elif path == "/hold":
            # The first request waits until the test releases it (after it
            # killed flowrt); later ones are answered.
            if n == 1:
                rec.release.wait(timeout=30)
                return  # the client is gone: nothing to answer
            self.answer(200, self.emit(data))
        elif path == "/concurrent":
            # Holds each request until a second one is in flight (or the
            # last one has come), so that the bound is reached whatever the
            # timing.
            with rec.lock:
                rec.lock.wait_for(lambda: rec.in_flight[path] >= 2 or rec.count[path] >= CONCURRENT_JOBS, timeout=10)
            self.answer(200, self.emit(data))
        else:
            self.answer(404)


class Server:
    def __init__(self):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.recorder = Recorder()
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self):
        return self.httpd.server_address[1]

    @property
    def recorder(self):
        return self.httpd.recorder

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests(self, path):
        with self.recorder.lock:
            return [r for r in self.recorder.requests if r[0] == path]


# One service per case; a rule per case routes each Job to its service.
CASES = {
    # case: (path, options)
    "ok": ("/ok", ""),
    "batch": ("/batch", ""),
    "none": ("/none", ""),
    "slow": ("/slow", "timeout 300ms retry 1 backoff 10ms"),
    "flaky": ("/flaky", "retry 3 backoff 10ms"),
    "retry_after_seconds": ("/retry-after-seconds", "retry 1 backoff 10ms"),
    "retry_after_date": ("/retry-after-date", "retry 1 backoff 10ms"),
    "bad": ("/bad", "retry 3 backoff 10ms"),
    "drop_once": ("/drop-once", "retry 1 backoff 10ms"),
    "drop": ("/drop", "retry 1 backoff 10ms"),
    "undeclared": ("/undeclared", "retry 1 backoff 10ms"),
    "concurrent": ("/concurrent", "concurrency 2"),
    "hold": ("/hold", "timeout 30s"),
}


def program(port, cases):
    lines = ["event Job { key id: string, case: string, amount: int }",
             "event Quoted { key id: string, price: int }"]
    ons = []
    for case in cases:
        path, options = CASES[case]
        name = "".join(part.capitalize() for part in case.split("_"))
        lines.append(f'rule Is{name}(j: Job) = j.case == "{case}"')
        lines.append(f'service {name} {{ consumes Job publishes Quoted http "http://127.0.0.1:{port}{path}" '
                     f"{options} }}")
        ons.append(f"  on Job when Is{name} -> {name}")
    lines.append("flow Jobs {\n  start Job\n  end Quoted\n" + "\n".join(ons) + "\n}")
    return "\n".join(lines) + "\n"


def job(id_, case, amount=21):
    return json.dumps({"specversion": "1.0", "type": "Job", "id": "e-" + id_, "source": "test",
                       "data": {"id": id_, "case": case, "amount": amount}}) + "\n"


def moment(text):
    """An RFC 3339 time of `journal dump`."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def environment():
    env = dict(os.environ)
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(name, None)  # 127.0.0.1 is asked directly
    return env


class HttpServicesTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="flowrt-http-")
        self.journal = os.path.join(self.dir, "journal")
        self.server = Server()

    def tearDown(self):
        self.server.recorder.release.set()
        self.server.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_flow(self, cases, lines):
        flow = os.path.join(self.dir, "jobs.flow")
        with open(flow, "w") as f:
            f.write(program(self.server.port, cases))
        out = subprocess.run([FLOWRT, "run", flow, "--journal", self.journal], input="".join(lines),
                             capture_output=True, text=True, timeout=120, env=environment())
        return out

    def dump(self):
        out = subprocess.run([FLOWRT, "journal", "dump", "--journal", self.journal, "--json"], capture_output=True,
                             text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        return [json.loads(line) for line in out.stdout.splitlines()]

    def attempts(self, records, instance):
        return [r for r in records if r["kind"] == "attempt" and r["instance"] == instance]

    def dead_letters(self, records, instance):
        return [r for r in records if r["kind"] == "dead-letter" and r["instance"] == instance]

    def quoted(self, records, instance):
        return [r for r in records if r["kind"] == "event" and r["type"] == "Quoted" and r["instance"] == instance]

    def test_every_answer_is_journaled_as_specified(self):
        cases = list(CASES)
        cases.remove("hold")
        lines = [job(case, case) for case in cases if case != "concurrent"]
        lines += [job(f"concurrent-{i}", "concurrent") for i in range(CONCURRENT_JOBS)]
        out = self.run_flow(cases, lines)
        # Dead letters (bad, drop, undeclared) make the exit status 3.
        self.assertEqual(out.returncode, 3, out.stderr)
        records = self.dump()
        outcomes = lambda instance: [a["outcome"] for a in self.attempts(records, instance)]

        # Published events, from the exec answer form and from a batch.
        self.assertEqual(outcomes("ok"), ["ok"])
        self.assertEqual([json.loads(e["data"]) if isinstance(e["data"], str) else e["data"]
                          for e in self.quoted(records, "ok")], [{"id": "ok", "price": 42}])
        self.assertEqual(len(self.quoted(records, "batch")), 1)
        self.assertEqual(outcomes("none"), ["ok"])
        self.assertEqual(self.quoted(records, "none"), [])

        # Slow: the first attempt times out, the second answers.
        self.assertEqual(outcomes("slow"), ["timeout", "ok"])
        self.assertIn("no answer within 300ms", self.attempts(records, "slow")[0]["error"])

        # 503 twice, then 200: one delivery id, three attempts.
        flaky = self.attempts(records, "flaky")
        self.assertEqual([a["outcome"] for a in flaky], ["error", "error", "ok"])
        self.assertIn("HTTP 503: overloaded", flaky[0]["error"])
        self.assertEqual(len({a["delivery"] for a in flaky}), 1)
        keys = [r[1]["idempotency-key"] for r in self.server.requests("/flaky")]
        self.assertEqual(keys, [flaky[0]["delivery"]] * 3)
        self.assertEqual([r[1]["ce-flowdelivery"] for r in self.server.requests("/flaky")], keys)
        self.assertEqual(len(self.quoted(records, "flaky")), 1)

        # Retry-After in seconds and as an HTTP date: the next attempt waits
        # for it, though the backoff is 10 ms.
        for case, at_least in (("retry_after_seconds", 0.9), ("retry_after_date", 0.5)):
            attempts = self.attempts(records, case)
            self.assertEqual([a["outcome"] for a in attempts], ["error", "ok"], case)
            waited = (moment(attempts[1]["started"]) - moment(attempts[0]["ended"])).total_seconds()
            self.assertGreaterEqual(waited, at_least, case)

        # 400: dead-lettered at once, though retries were left.
        self.assertEqual(outcomes("bad"), ["error"])
        [dead] = self.dead_letters(records, "bad")
        self.assertEqual(dead["reason"], "http_status")
        self.assertIn("HTTP 400: no such customer", dead["error"])
        self.assertEqual(len(self.server.requests("/bad")), 1)

        # A dropped connection is a failed attempt; always dropped, the
        # delivery is dead-lettered as unreachable.
        self.assertEqual(outcomes("drop_once"), ["died", "ok"])
        self.assertEqual(outcomes("drop"), ["died", "died"])
        self.assertEqual(self.dead_letters(records, "drop")[0]["reason"], "unreachable")

        # An event the service does not publish fails the attempt.
        self.assertEqual(outcomes("undeclared"), ["invalid", "invalid"])
        [dead] = self.dead_letters(records, "undeclared")
        self.assertEqual(dead["reason"], "undeclared_event")
        self.assertEqual([r for r in records if r["kind"] == "event" and r["type"] == "Job"
                          and r["instance"] == "undeclared" and r["causation"]], [])

        # Concurrency 2: never more than two requests at once, and two were.
        self.assertEqual(self.server.recorder.most_in_flight["/concurrent"], 2)
        for i in range(CONCURRENT_JOBS):
            self.assertEqual(outcomes(f"concurrent-{i}"), ["ok"])

        # What went over the wire: CloudEvents binary mode.
        path, headers, body, _, _ = self.server.requests("/ok")[0]
        self.assertEqual(headers["content-type"], "application/json")
        self.assertEqual(headers["ce-specversion"], "1.0")
        self.assertEqual(headers["ce-type"], "Job")
        self.assertEqual(headers["ce-id"], "e-ok")
        self.assertEqual(headers["ce-source"], "test")
        self.assertIn("ce-time", headers)
        self.assertEqual(headers["idempotency-key"], self.attempts(records, "ok")[0]["delivery"])
        self.assertEqual(json.loads(body), {"id": "ok", "case": "ok", "amount": 21})

        # The dossier shows an http service's failures as it shows exec ones.
        out = subprocess.run([FLOWRT, "dossier", "--journal", self.journal, "--key", "bad", "--json"],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        dossier = json.loads(out.stdout)
        self.assertIn("failed", json.dumps(dossier))
        self.assertIn("HTTP 400: no such customer", json.dumps(dossier))

    def test_requests_to_one_service_reuse_one_connection(self):
        out = self.run_flow(["ok"], [job(f"k-{i}", "ok") for i in range(5)])
        self.assertEqual(out.returncode, 0, out.stderr)
        requests = self.server.requests("/ok")
        self.assertEqual(len(requests), 5)
        self.assertEqual(len({r[3] for r in requests}), 1, "one keep-alive connection, reused")
        keys = [r[1]["idempotency-key"] for r in requests]
        self.assertEqual(len(set(keys)), 5, "one delivery id per delivery")

    def test_a_delivery_in_flight_at_a_crash_is_sent_again_with_its_key(self):
        flow = os.path.join(self.dir, "jobs.flow")
        with open(flow, "w") as f:
            f.write(program(self.server.port, ["hold"]))
        proc = subprocess.Popen([FLOWRT, "run", flow, "--journal", self.journal, "--fsync", "always"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
                                env=environment())
        proc.stdin.write(job("h-1", "hold"))
        proc.stdin.flush()
        deadline = time.monotonic() + 30
        while not self.server.requests("/hold"):
            self.assertLess(time.monotonic(), deadline, "the service never got the delivery")
            time.sleep(0.02)
        proc.kill()
        proc.wait()
        proc.stdin.close()
        self.server.recorder.release.set()
        out = subprocess.run([FLOWRT, "run", flow, "--journal", self.journal], input="", capture_output=True,
                             text=True, timeout=120, env=environment())
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("re-driving 1 http deliveries", out.stderr)
        requests = self.server.requests("/hold")
        self.assertEqual(len(requests), 2)
        self.assertEqual(requests[0][1]["idempotency-key"], requests[1][1]["idempotency-key"])
        records = self.dump()
        self.assertEqual([a["outcome"] for a in self.attempts(records, "h-1")], ["ok"])
        self.assertEqual(len(self.quoted(records, "h-1")), 1)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
