#!/usr/bin/env python3
"""Reserve: books the flight and the hotel with the suppliers (simulated).

Confirms the trip with a booking reference (PNR) and its total price, or
cancels it when the hotel is sold out for the stay."""
import json
import sys

SOLD_OUT = {"IT"}  # the supplier has no rooms left in these countries

for line in sys.stdin:
    request = json.loads(line)
    trip = request["event"]["data"]
    if trip["destination"] in SOLD_OUT:
        emit = {"type": "TripCancelled", "data": {**trip, "reason": "hotel sold out"}}
    else:
        total = round(trip["fare"] + trip["hotel_rate"] * trip["nights"], 2)
        pnr = "PNR" + trip["booking_id"].replace("-", "")
        print(f"reserved {pnr} for {trip['traveller']}: {total:.2f}", file=sys.stderr, flush=True)
        emit = {"type": "TripConfirmed", "data": {**trip, "pnr": pnr, "total": float(total)}}
    print(json.dumps({"id": request["id"], "emit": [emit]}), flush=True)
