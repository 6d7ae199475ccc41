#!/usr/bin/env python3
# Test exec service: like a simple echo, but a delivery whose event data has
# "crash": true makes the process exit with status 3 — the first time only.
# It remembers by creating the file "crashed-<delivery id>" in its working
# directory, so the retry (on a restarted process) succeeds.
import json
import os
import sys


def main():
    while True:
        line = sys.stdin.readline()
        if not line:
            return
        request = json.loads(line)
        data = request["event"]["data"]
        marker = "crashed-" + request["id"]
        if data.get("crash") and not os.path.exists(marker):
            open(marker, "w").close()
            sys.stderr.write("about to crash on " + request["id"] + "\n")
            sys.stderr.flush()
            os._exit(3)
        answer = {"id": request["id"], "emit": [{"type": "Echoed", "data": {"pid": os.getpid()}}]}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


main()
