#!/usr/bin/env python3
"""An exec service for the chain-limit test: answers each Ping with a Pong
of the next number, for ever."""
import json
import sys

for line in sys.stdin:
    request = json.loads(line)
    ping = request["event"]["data"]
    pong = {"id": ping["id"], "n": ping["n"] + 1}
    print(json.dumps({"id": request["id"], "emit": [{"type": "Pong", "data": pong}]}), flush=True)
