#!/usr/bin/env python3
"""A misbehaving exec service for the runtime's fault tests."""
import json
import os
import sys
import time

for line in sys.stdin:
    request = json.loads(line)
    job = request["event"]["data"]
    mode = job["mode"]
    answer = {"id": request["id"], "emit": [{"type": "Result", "data": {"id": job["id"], "value": 1}}]}
    if mode == "error":
        answer = {"id": request["id"], "error": "cannot do " + job["id"]}
    elif mode == "crash":
        sys.exit(3)
    elif mode == "hang":
        time.sleep(30)
    elif mode == "hang-once":
        # The crash test: hangs (its pid in the marker file) until killed;
        # answers once the marker exists, i.e. when delivered again.
        marker = os.environ["FLOW_TEST_MARKER"]
        if not os.path.exists(marker):
            with open(marker, "w") as f:
                f.write(str(os.getpid()))
            time.sleep(30)
    elif mode == "garbage":
        print("this is not json", flush=True)
        continue
    elif mode == "undeclared":
        answer = {"id": request["id"], "emit": [{"type": "Stray", "data": {"id": job["id"]}}]}
    elif mode == "invalid":
        answer = {"id": request["id"], "emit": [{"type": "Result", "data": {"id": job["id"], "value": "x"}}]}
    elif mode == "stderr":
        print("working on " + job["id"], file=sys.stderr, flush=True)
    print(json.dumps(answer), flush=True)
