#!/usr/bin/env bash
# The travel-booking example end to end, in one command: checks booking.flow,
# runs bookings.jsonl on a fresh journal, compares the outcome with
# expected-outcome.txt, shows the sink files and the dossier of booking B-105
# (its card charge dead-lettered, which raised an alert).
#
#   examples/travel-booking/run.sh [WORK_DIR]
#
# Works from any directory; the shared steps are in examples/run-example.sh
# (flowc and flowrt from build/, or $FLOWC and $FLOWRT). WORK_DIR receives the journal and
# the sink files (out/); by default a temporary folder, removed at the end.
# Exit status: 0 when the outcome is the expected one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../run-example.sh"
run_example booking.flow bookings.jsonl "$@"

echo "== out/invoices.jsonl (builtin \"jsonl:out/invoices.jsonl\": for the finance system)"
cat out/invoices.jsonl
echo "== out/alerts.jsonl (std.runtime.DeliveryDeadLettered -> OpsAlert)"
cat out/alerts.jsonl

echo "== flowrt dossier --key B-105"
"$flowrt" dossier --journal journal --key B-105
exit $result
