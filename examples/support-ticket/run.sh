#!/usr/bin/env bash
# The support-ticket example end to end, in one command: checks tickets.flow,
# runs tickets.jsonl on a fresh journal, compares the outcome with
# expected-outcome.txt and shows the dossier of
# ticket T-3 (waits for the customer, whose angry reply joins it by its key).
#
#   examples/support-ticket/run.sh [WORK_DIR]
#
# Works from any directory; the shared steps are in examples/run-example.sh
# (flowc and flowrt from build/, or $FLOWC and $FLOWRT). WORK_DIR receives the journal and
# what the run writes; by default a temporary folder, removed at the end.
# Exit status: 0 when the outcome is the expected one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../run-example.sh"
run_example tickets.flow tickets.jsonl "$@"

echo "== flowrt dossier --key T-3"
"$flowrt" dossier --journal journal --key T-3
exit $result
