#!/usr/bin/env bash
# Every test of the package (`npm test`, and so .ci/run), in four legs:
#   1. unit and node tests on this Node (20) with Node-RED 4.1, the devDependency
#   2. the same tests on Node 22 with Node-RED 5, both from .tmp/nr5/
#   3. the editor in Chromium (test/editor/), the package installed from its tarball
#   4. the flow library's scorecard (test/scorecard.test.js)
# On a fresh clone it first installs what is missing: node_modules (npm ci,
# which builds through `prepare`), Debian's chromium, Node 22 + Node-RED 5.
# Prints each runner's summary, ends with "N passed, N failed" over all legs,
# and exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NR5=$ROOT/.tmp/nr5
LOGS=$ROOT/.tmp/test-logs
MOCHA="$ROOT/node_modules/mocha/bin/mocha.js"
UNIT=('test/**/*.test.js' --ignore 'test/editor/**' --ignore test/scorecard.test.js)
mkdir -p "$LOGS"

passed=0
failed=0
skipped=0

heading() { printf '\n=== %s\n' "$*"; }

# A step that is not a test runner (an install, the build) counts as one failure when it fails.
step_failed() {
  echo "FAILED: $1 (log: ${2:-above})"
  failed=$((failed + 1))
}

install_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  local sudo=''
  [ "$(id -u)" = 0 ] || sudo='sudo'
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium
}

nr5_ready() {
  [ -x "$NR5/node_modules/.bin/node" ] && [ -f "$NR5/node_modules/node-red/package.json" ] &&
    "$NR5/node_modules/.bin/node" -e '
      const nr = require(process.argv[1] + "/node_modules/node-red/package.json").version;
      process.exit(process.versions.node.startsWith("22.") && nr.startsWith("5.") ? 0 : 1);' "$NR5"
}

# Node 22 from the npm registry's `node` package (its preinstall fetches the
# binary package, so npm must allow that script), next to Node-RED 5, in a
# folder of its own so the project's node_modules keeps Node-RED 4.
install_nr5() {
  nr5_ready && return 0
  rm -rf "$NR5" && mkdir -p "$NR5" &&
    echo '{ "name": "test-leg-node-red-5", "private": true, "description": "Node 22 + Node-RED 5 for scripts/test-all.sh", "allowScripts": { "node": true } }' >"$NR5/package.json" &&
    npm install --prefix "$NR5" --no-save --no-audit --no-fund node@22 node-red@5 && nr5_ready
}

# run_mocha LOG TITLE COMMAND...: runs mocha, tees its output to .tmp/test-logs/LOG.log
# and adds its counts; a run that ends without a summary (a crash) is one failure.
run_mocha() {
  local name=$2 log="$LOGS/$1.log"
  shift 2
  heading "$name"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local plain
  plain=$(sed 's/\x1b\[[0-9;]*m//g' "$log")
  local p f s
  p=$(grep -Eo '^ *[0-9]+ passing' <<<"$plain" | tail -1 | grep -Eo '[0-9]+')
  f=$(grep -Eo '^ *[0-9]+ failing' <<<"$plain" | tail -1 | grep -Eo '[0-9]+')
  s=$(grep -Eo '^ *[0-9]+ pending' <<<"$plain" | tail -1 | grep -Eo '[0-9]+')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${s:-0}))
  if [ "$status" != 0 ] && [ -z "$f" ]; then step_failed "$name: mocha exited $status without a summary" "$log"; fi
}

started=$SECONDS

# The slow downloads go in the background while the first leg runs.
install_chromium >"$LOGS/chromium-install.log" 2>&1 &
chromium_pid=$!
install_nr5 >"$LOGS/nr5-install.log" 2>&1 &
nr5_pid=$!

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  heading "npm ci (builds through prepare)"
  npm ci --no-audit --no-fund || step_failed "npm ci"
else
  heading "build"
  npm run --silent build || step_failed "build (tsc)"
fi

run_mocha unit-node20 "unit: Node $(node -v) + Node-RED $(node -p 'require("node-red/package.json").version')" \
  node "$MOCHA" "${UNIT[@]}"

if wait "$nr5_pid"; then
  run_mocha unit-node22 "unit: Node $("$NR5/node_modules/.bin/node" -v) + Node-RED $(node -p "require('$NR5/node_modules/node-red/package.json').version")" \
    env COMET_TEST_NODE_RED="$NR5/node_modules/node-red" "$NR5/node_modules/.bin/node" "$MOCHA" "${UNIT[@]}"
else
  cat "$LOGS/nr5-install.log"
  step_failed "installing Node 22 + Node-RED 5" "$LOGS/nr5-install.log"
fi

if wait "$chromium_pid"; then
  run_mocha editor "editor: $(/usr/bin/chromium --version 2>/dev/null)" node "$MOCHA" 'test/editor/*.test.js'
else
  tail -20 "$LOGS/chromium-install.log"
  step_failed "installing Debian's chromium" "$LOGS/chromium-install.log"
fi

run_mocha scorecard "scorecard" node "$MOCHA" test/scorecard.test.js

heading "all legs, $((SECONDS - started)) s"
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
