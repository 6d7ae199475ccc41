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
for f in bin/flowc bin/flowrt lib/flow/libflowjit.so lib/flow/libflowjit-cached.so share/flow/stdlib/std/runtime.flow share/doc/flow/README.md share/doc/flow/diagnostics.md; do
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
# The installed flowrt finds flowc and its JIT modules: a run with rules
# compiles them (the whole back end), the next links them from the cache.
export FLOW_CACHE_DIR="$prefix/cache"
"$prefix/bin/flowrt" run alerts.flow --journal j1 --input /dev/null 2>&1 | grep -q "rules: native code, compiled"
"$prefix/bin/flowrt" run alerts.flow --journal j2 --input /dev/null 2>&1 | grep -q "rules: native code, linked from the object cache"
echo "install layout ok"
