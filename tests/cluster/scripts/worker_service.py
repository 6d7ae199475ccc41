#!/usr/bin/env python3
# Test exec service for `flowrt worker`: answers each delivery with one
# event {"type": "Served", "data": {"id": <delivery id>, "worker": <the
# FLOW_TEST_WORKER variable>}}. A delivery whose event data has "hang": true
# hangs the first time any worker sees it: it writes "<worker> <process
# group>" to <marker dir>/hang-<id> and sleeps; seen again (the marker
# exists), it is answered like any other. Data "error": answer with it.
import json
import os
import sys
import time


def main():
    marker_dir = sys.argv[1]
    worker = os.environ.get("FLOW_TEST_WORKER", "?")
    while True:
        line = sys.stdin.readline()
        if not line:
            return
        request = json.loads(line)
        delivery = request["id"]
        data = request["event"].get("data", {})
        if data.get("hang"):
            marker = os.path.join(marker_dir, "hang-" + delivery)
            if not os.path.exists(marker):
                with open(marker + ".tmp", "w") as f:
                    f.write("%s %d\n" % (worker, os.getpgid(0)))
                os.rename(marker + ".tmp", marker)
                time.sleep(60)
        if "error" in data:
            answer = {"id": delivery, "error": data["error"]}
        else:
            answer = {"id": delivery, "emit": [{"type": "Served", "data": {"id": delivery, "worker": worker}}]}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


main()
