#!/usr/bin/env python3
"""CheckVisa: the visa desk's system, simulated for the example.

Speaks Flow's exec protocol (runtime.md §3): one JSON request per line on
stdin, one answer per line on stdout. Clears a trip when the traveller's
passport may enter the destination visa-free or an electronic permit is on
file; otherwise cancels it. Knows nothing of flows, rules or the journal."""
import json
import sys

# (passport, destination) -> permit on file; a stand-in for a real lookup.
PERMITS = {
    ("NL", "US"): "ESTA",
    ("GB", "FR"): "ETIAS",
    ("US", "NL"): "ETIAS",
}

for line in sys.stdin:
    request = json.loads(line)
    trip = request["event"]["data"]
    permit = PERMITS.get((trip["nationality"], trip["destination"]))
    if permit:
        emit = {"type": "VisaCleared", "data": {**trip, "visa_ref": f"{permit}-{trip['booking_id']}"}}
    else:
        reason = f"no visa for a {trip['nationality']} passport to {trip['destination']}"
        emit = {"type": "TripCancelled", "data": {**trip, "reason": reason}}
    print(json.dumps({"id": request["id"], "emit": [emit]}), flush=True)
