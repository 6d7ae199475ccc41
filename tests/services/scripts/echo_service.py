#!/usr/bin/env python3
# Test exec service: answers each delivery in order with one emitted event,
# {"type": "Echoed", "data": {"echo": <event data>, "pid": <its pid>}}.
# The event's data steers it:
#   "emit_type": emit this type instead of "Echoed" (for validator tests)
#   "error":     answer with this error instead
#   "sleep":     seconds to wait before answering
#   "raw_data":  emit this JSON text verbatim as the data (number fidelity)
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
        data = request["event"].get("data", {})
        if "sleep" in data:
            time.sleep(data["sleep"])
        if "error" in data:
            answer = json.dumps({"id": request["id"], "error": data["error"]})
        elif "raw_data" in data:
            answer = '{"id":%s,"emit":[{"type":"Echoed","data":%s}]}' % (
                json.dumps(request["id"]), data["raw_data"])
        else:
            emitted = {"type": data.get("emit_type", "Echoed"),
                       "data": {"echo": data, "pid": os.getpid()}}
            answer = json.dumps({"id": request["id"], "emit": [emitted]})
        sys.stdout.write(answer + "\n")
        sys.stdout.flush()


main()
