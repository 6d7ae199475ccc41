#!/usr/bin/env python3
"""Pay: pays an assessed claim out (simulated)."""
import json
import sys

for line in sys.stdin:
    request = json.loads(line)
    claim = request["event"]["data"]
    emit = {"type": "ClaimPaid", "data": {**claim, "payment_ref": "PAY-" + claim["claim_id"]}}
    print(json.dumps({"id": request["id"], "emit": [emit]}), flush=True)
