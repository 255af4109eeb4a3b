#!/bin/sh
# The JS client's checks, run in the bootstrap module's test phase (./mvnw verify) and so in CI:
#   1. its unit tests on the built parley.js (node's own test runner; no packages);
#   2. `npm run check`: src/ type-checks (tsc on the JSDoc), and parley.js and parley.d.ts are what src/ builds.
# Step 2 needs the pinned dev tools (package-lock.json), installed here with `npm ci` when missing. Where node or
# npm is missing, or the npm registry cannot be reached, it says so and skips, unless PARLEY_TEST_REQUIRE_TOOLS
# is true (.ci/run sets it), under which it fails: CI never passes by skipping.
cd "$(dirname "$0")/.." || exit 1

missing() {
  if [ "$PARLEY_TEST_REQUIRE_TOOLS" = "true" ]; then
    echo "[ERROR] $1 (PARLEY_TEST_REQUIRE_TOOLS=true)"
    exit 1
  fi
  echo "[WARNING] $1: SKIPPING $2"
  exit 0
}

command -v node >/dev/null 2>&1 \
  || missing "node is not installed; install Node.js 20+" "the JS client's tests and checks (clients/js)"
node --test test/ || exit 1

command -v npm >/dev/null 2>&1 || missing "npm is not installed" "the JS client's type and build check (npm run check)"
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.parley-lock; then
  npm ci --no-audit --no-fund --loglevel=error \
    || missing "npm ci could not install the JS client's dev tools" "the JS client's type and build check (npm run check)"
  cp package-lock.json node_modules/.parley-lock
fi
exec node scripts/build.mjs --check
