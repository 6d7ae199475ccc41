#!/usr/bin/env python3
# Test exec service that misbehaves on request. The event's data "mode" says
# how it answers:
#   ok            a good answer (emits Echoed)
#   notjson       a line that is not JSON
#   noid          a JSON answer without "id"
#   unknownid     a good answer for an id it was never given
#   neither       {"id": ...} with neither "emit" nor "error"
#   both          both "emit" and "error"
#   nodata        an emitted event without "data"
#   emitobject    "emit" as an object instead of an array
#   trailing      a good answer followed by junk on the same line
#   twice         a good answer, then the same answer again
#   longline      a 200 kB line of junk, then a good answer
#   closestdout   closes its stdout and keeps running
#   blank         a blank line, then a good answer
import json
import os
import sys
import time


def good(request_id):
    return json.dumps({"id": request_id, "emit": [{"type": "Echoed", "data": {}}]})


def main():
    while True:
        line = sys.stdin.readline()
        if not line:
            return
        request = json.loads(line)
        rid = request["id"]
        mode = request["event"]["data"].get("mode", "ok")
        out = {
            "ok": [good(rid)],
            "notjson": ["hello, this is not JSON"],
            "noid": [json.dumps({"emit": []})],
            "unknownid": [good("never-sent")],
            "neither": [json.dumps({"id": rid})],
            "both": [json.dumps({"id": rid, "emit": [], "error": "x"})],
            "nodata": [json.dumps({"id": rid, "emit": [{"type": "Echoed"}]})],
            "emitobject": [json.dumps({"id": rid, "emit": {"type": "Echoed", "data": {}}})],
            "trailing": [good(rid) + " junk"],
            "twice": [good(rid), good(rid)],
            "longline": ["x" * 200000, good(rid)],
            "blank": ["", good(rid)],
        }.get(mode)
        if mode == "closestdout":
            sys.stdout.flush()
            os.close(1)
            time.sleep(3600)
        sys.stdout.write("\n".join(out) + "\n")
        sys.stdout.flush()


main()
