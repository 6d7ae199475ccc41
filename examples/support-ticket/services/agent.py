#!/usr/bin/env python3
"""Agent: a support agent resolves a triaged ticket (simulated), except
tickets about login problems, which stay open waiting for the customer."""
import json
import sys

for line in sys.stdin:
    request = json.loads(line)
    ticket = request["event"]["data"]
    if ticket["queue"] == "accounts":
        answer = {"id": request["id"], "emit": []}  # waits for the customer's reply
    else:
        emit = {"type": "TicketResolved", "data": {"ticket_id": ticket["ticket_id"], "resolution": "answered in queue " + ticket["queue"]}}
        answer = {"id": request["id"], "emit": [emit]}
    print(json.dumps(answer), flush=True)
