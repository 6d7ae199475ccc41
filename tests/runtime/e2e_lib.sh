# Shared by the end-to-end test scripts of tests/runtime (sourced, not run):
# a temporary working folder, removed on exit and made current, and
# `expect FILE TEXT`, which fails the test (naming $backend) unless FILE
# holds TEXT as a fixed string.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

expect() {
  grep -qF -- "$2" "$1" || { echo "FAIL (${backend:-}): $1 lacks: $2"; cat "$1"; exit 1; }
}
