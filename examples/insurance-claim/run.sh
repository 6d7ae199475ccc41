#!/usr/bin/env bash
# The insurance-claim example end to end, in one command: checks claims.flow,
# runs claims.jsonl on a fresh journal, compares the outcome with
# expected-outcome.txt and shows the dossier of
# claim CL-3 (scored 70: investigated, cleared with a reduced payout, paid).
#
#   examples/insurance-claim/run.sh [WORK_DIR]
#
# Works from any directory; the shared steps are in examples/run-example.sh
# (flowc and flowrt from build/, or $FLOWC and $FLOWRT). WORK_DIR receives the journal and
# what the run writes; by default a temporary folder, removed at the end.
# Exit status: 0 when the outcome is the expected one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../run-example.sh"
run_example claims.flow claims.jsonl "$@"

echo "== flowrt dossier --key CL-3"
"$flowrt" dossier --journal journal --key CL-3
exit $result
