#!/usr/bin/env bash
# The order-to-cash example end to end, in one command: checks orders.flow,
# runs orders.jsonl on a fresh journal, compares the outcome with
# expected-outcome.txt and shows the dossier of
# order 1002 (1800 from the US: reviewed by hand, approved, paid).
#
#   examples/order-to-cash/run.sh [WORK_DIR]
#
# Works from any directory; the shared steps are in examples/run-example.sh
# (flowc and flowrt from build/, or $FLOWC and $FLOWRT). WORK_DIR receives the journal and
# what the run writes; by default a temporary folder, removed at the end.
# Exit status: 0 when the outcome is the expected one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../run-example.sh"
run_example orders.flow orders.jsonl "$@"

echo "== flowrt dossier --key 1002"
"$flowrt" dossier --journal journal --key 1002
exit $result
