#!/usr/bin/env python3
"""ManualReview: a reviewer's decision, automated for the example.

Speaks Flow's exec protocol (runtime.md §3): one JSON request per line on
stdin, one answer per line on stdout. Approves orders below 5000, rejects
the rest. Knows nothing of flows, rules or the journal.

Money stays exact: JSON numbers are read as Decimal and written back as
strings of digits, which Flow's `decimal` fields accept (json-events.md)."""
import decimal
import json
import sys

for line in sys.stdin:
    request = json.loads(line, parse_float=decimal.Decimal)
    order = request["event"]["data"]
    if order["total"] < 5000:
        emit = {"type": "OrderApproved", "data": {**order, "approved_by": "reviewer-7"}}
    else:
        emit = {"type": "OrderRejected", "data": {**order, "reason": "total over the review limit"}}
    print(json.dumps({"id": request["id"], "emit": [emit]}, default=str), flush=True)
