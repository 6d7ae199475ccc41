#!/usr/bin/env python3
"""An exec service that handles each job on its own thread, for the tests of
failures beside healthy deliveries. By the job's mode: "hang" creates
hung-<job id> in $FLOW_TEST_DIR and never answers, "error" answers with an
error, "slow" answers after 2 s, anything else at once."""
import json
import os
import sys
import threading
import time

write_lock = threading.Lock()


def answer(message):
    with write_lock:
        print(json.dumps(message), flush=True)


def handle(request):
    job = request["event"]["data"]
    mode = job["mode"]
    if mode == "hang":
        open(os.path.join(os.environ["FLOW_TEST_DIR"], "hung-" + job["id"]), "w").close()
        time.sleep(3600)
    if mode == "error":
        answer({"id": request["id"], "error": "cannot do " + job["id"]})
        return
    if mode == "slow":
        time.sleep(2)
    answer({"id": request["id"], "emit": [{"type": "Result", "data": {"id": job["id"]}}]})


for line in sys.stdin:
    threading.Thread(target=handle, args=(json.loads(line),), daemon=True).start()
