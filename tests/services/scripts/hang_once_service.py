#!/usr/bin/env python3
# Test exec service: a delivery whose event data has "hang": true gets no
# answer — the first time. It creates "hung-<delivery id>" in its working
# directory (the test waits for that file), then sleeps far past any
# timeout; the retry, on a new process, is answered. Other deliveries are
# answered at once.
import json
import os
import sys
import time


def main():
    while True:
        line = sys.stdin.readline()
        if not line:
            return
        request = json.loads(line)
        data = request["event"]["data"]
        marker = "hung-" + request["id"]
        if data.get("hang") and not os.path.exists(marker):
            open(marker, "w").close()
            time.sleep(3600)
        answer = {"id": request["id"], "emit": [{"type": "Echoed", "data": {"pid": os.getpid()}}]}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


main()
