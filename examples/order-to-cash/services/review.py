#!/usr/bin/env python3
"""ManualReview: a reviewer's decision, automated for the example.

Speaks Flow's exec protocol (runtime.md §3): one JSON request per line on
stdin, one answer per line on stdout. Approves orders below 5000, rejects
the rest. Knows nothing of flows, rules or the journal."""
import json
import sys

for line in sys.stdin:
    request = json.loads(line)
    order = request["event"]["data"]
    if order["amount"] < 5000:
        emit = {"type": "OrderApproved", "data": {**order, "approved_by": "reviewer-7"}}
    else:
        emit = {"type": "OrderRejected", "data": {**order, "reason": "amount over the review limit"}}
    print(json.dumps({"id": request["id"], "emit": [emit]}), flush=True)
