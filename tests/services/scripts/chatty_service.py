#!/usr/bin/env python3
# Test exec service that talks on stderr: a line at start, then per
# delivery a line written in two pieces (a partial line must be buffered by
# the runner), and, when the event data has "long": true, one 100 kB line
# (which the runner must cut). Answers every delivery.
import json
import sys
import time


def main():
    sys.stderr.write("starting up\n")
    sys.stderr.flush()
    while True:
        line = sys.stdin.readline()
        if not line:
            sys.stderr.write("stdin closed, bye")  # no newline: flushed at exit
            sys.stderr.flush()
            return
        request = json.loads(line)
        sys.stderr.write("handling ")
        sys.stderr.flush()
        time.sleep(0.05)
        sys.stderr.write(request["id"] + "\n")
        if request["event"]["data"].get("long"):
            sys.stderr.write("y" * 100000 + "\n")
        sys.stderr.flush()
        answer = {"id": request["id"], "emit": []}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


main()
