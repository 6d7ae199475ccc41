#!/usr/bin/env python3
"""ChargeCard: the payment gateway (simulated). Charges the trip's total to
the traveller's card token; answers with an error for an expired card, which
the runtime retries and then dead-letters."""
import json
import sys

EXPIRED = {"tok-expired-0419"}

for line in sys.stdin:
    request = json.loads(line)
    trip = request["event"]["data"]
    card = trip.get("card")
    if not card or card in EXPIRED:
        answer = {"id": request["id"], "error": f"card {card} declined: expired"}
    else:
        emit = {"type": "PaymentCaptured", "data": {**trip, "payment_ref": "PAY-" + trip["booking_id"]}}
        answer = {"id": request["id"], "emit": [emit]}
    print(json.dumps(answer), flush=True)
