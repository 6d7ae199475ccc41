#!/usr/bin/env python3
# Test exec service for failures beside healthy deliveries: every request is
# handled on its own thread, in its working directory's marker files.
# The event's data steers it:
#   "hang": true      creates "hung-<delivery id>" and never answers
#   "crash_after": n  exits with status 3 once n "seen-*" markers exist
#   otherwise         creates "seen-<delivery id>", then answers once the
#                     file "go" exists: it stays in flight until the test
#                     lets it finish
import json
import os
import sys
import threading
import time

write_lock = threading.Lock()


def handle(request):
    data = request["event"]["data"]
    if data.get("hang"):
        open("hung-" + request["id"], "w").close()
        time.sleep(3600)
    if "crash_after" in data:
        while len([f for f in os.listdir(".") if f.startswith("seen-")]) < data["crash_after"]:
            time.sleep(0.01)
        os._exit(3)
    open("seen-" + request["id"], "w").close()
    while not os.path.exists("go"):
        time.sleep(0.01)
    answer = {"id": request["id"], "emit": [{"type": "Echoed", "data": {"pid": os.getpid()}}]}
    with write_lock:
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def main():
    for line in sys.stdin:
        threading.Thread(target=handle, args=(json.loads(line),), daemon=True).start()


main()
