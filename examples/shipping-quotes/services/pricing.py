#!/usr/bin/env python3
"""The pricing service of the shipping-quotes example: an HTTP service that
flowrt POSTs each QuoteRequested to (an `http` service, serve.md §1).

The request is a CloudEvent in binary mode: its attributes in ce-* headers,
its data as the JSON body, and the delivery id in Idempotency-Key (the same
on every retry). The answer is an exec answer without its id:
{"emit": [{"type": ..., "data": {...}}]}.

  - a destination it has a rate for: QuoteOffered with the price;
  - one it has none for: QuoteDeclined;
  - a weight that is not positive: 400, which flowrt does not retry;
  - customer "initech": busy the first time a delivery comes (503 with
    Retry-After: 1), to show a retry with the same Idempotency-Key.
An answer given once is given again for the same key, so a retried delivery
never gets two different prices.

  python3 services/pricing.py [--port 8731]   (0: any free port)
Prints "listening on http://127.0.0.1:PORT" when ready; logs each request
to stderr. Standard library only."""
import argparse
import http.server
import json
import sys
import threading

RATES = {  # destination: (base price, per kg), EUR
    "NL": (4.95, 0.40),
    "BE": (5.95, 0.45),
    "DE": (6.50, 0.50),
    "FR": (7.25, 0.55),
}

answers = {}  # Idempotency-Key -> (status, body): answers already given
seen_busy = set()
lock = threading.Lock()


def price(quote):
    if quote["weight_kg"] <= 0:
        return 400, {"error": "weight must be positive"}
    rate = RATES.get(quote["country"])
    if rate is None:
        declined = dict(quote, reason="no shipping to " + quote["country"])
        return 200, {"emit": [{"type": "QuoteDeclined", "data": declined}]}
    base, per_kg = rate
    # A decimal field takes a string of digits: exact, as written.
    offered = dict(quote, price="%.2f" % (base + per_kg * quote["weight_kg"]), currency="EUR")
    return 200, {"emit": [{"type": "QuoteOffered", "data": offered}]}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: flowrt reuses the connection
    # Headers and body go out in two writes: without this, the second waits
    # for the client's delayed ACK (40 ms a request on a kept-alive connection).
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        quote = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        key = self.headers.get("Idempotency-Key", "")
        event = "%s %s" % (self.headers.get("ce-type"), self.headers.get("ce-id"))
        with lock:
            if key in answers:
                status, body = answers[key]
                print("pricing: %s (%s) again: the same answer, %d" % (event, key, status), file=sys.stderr, flush=True)
                self.reply(status, body)
                return
            if quote["customer"] == "initech" and key not in seen_busy:
                seen_busy.add(key)
                print("pricing: %s (%s): busy, 503" % (event, key), file=sys.stderr, flush=True)
                self.reply(503, {"error": "busy"}, [("Retry-After", "1")])
                return
            status, body = price(quote)
            answers[key] = (status, body)
            print("pricing: %s (%s): %d" % (event, key, status), file=sys.stderr, flush=True)
        self.reply(status, body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8731)
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print("listening on http://127.0.0.1:%d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
