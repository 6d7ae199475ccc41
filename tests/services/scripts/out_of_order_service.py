#!/usr/bin/env python3
# Test exec service for concurrency: collects requests until it holds 4 or
# its stdin has been quiet for 0.3 s, then answers the batch in REVERSE order.
# Each answer emits {"type": "Echoed", "data": {"n": <event data.n>,
# "batch": <how many requests it held unanswered at once>}}.
import json
import os
import select


def main():
    buffered = b""
    held = []
    while True:
        readable, _, _ = select.select([0], [], [], 0.3)
        if readable:
            chunk = os.read(0, 65536)
            if not chunk:
                return
            buffered += chunk
            while b"\n" in buffered:
                line, buffered = buffered.split(b"\n", 1)
                held.append(json.loads(line))
        if len(held) >= 4 or (held and not readable):
            out = []
            for request in reversed(held):
                data = {"n": request["event"]["data"]["n"], "batch": len(held)}
                out.append(json.dumps({"id": request["id"],
                                       "emit": [{"type": "Echoed", "data": data}]}))
            os.write(1, ("\n".join(out) + "\n").encode())
            held = []


main()
