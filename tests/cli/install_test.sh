#!/usr/bin/env bash
# Installs the build into a temporary prefix and uses the installed tools
# from an unrelated folder, with the source tree's stdlib out of reach.
#   install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" > /dev/null
for f in bin/flowc bin/flowrt share/flow/stdlib/std/runtime.flow share/doc/flow/README.md share/doc/flow/diagnostics.md; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
cd "$prefix"
cat > alerts.flow <<'FLOW'
import std.runtime
event Alerted { key instance: string }
service Page { consumes d: DeliveryDeadLettered publishes Alerted emit Alerted { instance: d.instance } }
flow Alerting { start DeliveryDeadLettered end Alerted on DeliveryDeadLettered when TimedOut -> Page }
FLOW
# FLOW_STDLIB pointing nowhere would break the lookup: make sure it is unset.
env -u FLOW_STDLIB "$prefix/bin/flowc" check --werror alerts.flow
"$prefix/bin/flowc" --version | grep -q "^flowc "
"$prefix/bin/flowrt" --version | grep -q "^flowrt "
echo "install layout ok"
