#!/usr/bin/env python3
"""Investigate: the fraud desk (simulated). Denies claims scored 90 or more,
clears the rest with a reduced payout."""
import json
import sys

for line in sys.stdin:
    request = json.loads(line)
    claim = request["event"]["data"]
    if claim["score"] >= 90:
        emit = {"type": "ClaimDenied", "data": {**claim, "reason": f"fraud score {claim['score']}"}}
    else:
        cleared = {k: v for k, v in claim.items() if k != "score"}
        emit = {"type": "ClaimAssessed", "data": {**cleared, "payout": round(claim["amount"] * 0.5, 2), "tier": "investigated"}}
    print(json.dumps({"id": request["id"], "emit": [emit]}), flush=True)
