#!/usr/bin/env bash
# Every test of the package (`npm test`, and so .ci/run), in five legs:
#   unit-node22  unit and node tests on Node 22 with Node-RED 4.1 (the devDependency)
#   unit-node24  the same on Node 24 with Node-RED 5.0
#   unit-node26  the same on Node 26 with Node-RED 5.0
#   editor       the editor in Chromium (test/editor/), Node 24 + Node-RED 5.0 (what a
#                new user installs), the package installed from its tarball
#   scorecard    the flow library's checks (test/scorecard.test.js), on Node 24
#   lint         ESLint over the repository (eslint.config.js), zero warnings: one
#                check in the counts, passed or failed
# Each Node (and Node-RED 5) comes from the npm registry into .tmp/legs/<leg>/
# (scripts/lib/runtimes.js); this machine's own Node only runs npm and the build.
# On a fresh clone it first installs what is missing, all at once in the
# background while the build runs: node_modules (npm ci, which builds through
# `prepare`), Debian's chromium and redis-server, and the three Nodes.
#
# `bash scripts/test-all.sh [leg...]` runs only the legs named (npm run
# test:unit, test:editor). Prints each leg's output, a table of the legs with
# their Node, Node-RED, time and counts, ends with "N passed, N failed" over
# all legs, and exits non-zero if anything failed (an install that fails is a
# failure of each leg that needs it).
#
# Legs that can share the two cores do: installs run beside the build and the
# tests, the scorecard beside the Node 24 unit leg, the editor beside the Node
# 26 one. Two unit legs never run at once, though they would finish in the time
# of one (they mostly wait on timers): the same suite twice in step writes the
# same files at the same moments (bench/.out/reliability-load.json read and
# rewritten by the load rows, /tmp/comet-nightly-report.md written by an
# example flow and read back by its test).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOGS=$ROOT/.tmp/test-logs
MOCHA="$ROOT/node_modules/mocha/bin/mocha.js"
RUNTIMES="$ROOT/scripts/lib/runtimes.js"
UNIT=('test/**/*.test.js' --ignore 'test/editor/**' --ignore test/scorecard.test.js)
ALL_LEGS=(lint unit-node22 unit-node24 unit-node26 editor scorecard)
mkdir -p "$LOGS"

if [ $# -gt 0 ]; then LEGS=("$@"); else LEGS=("${ALL_LEGS[@]}"); fi
for leg in "${LEGS[@]}"; do
  [[ " ${ALL_LEGS[*]} " == *" $leg "* ]] || { echo "no leg '$leg' (legs: ${ALL_LEGS[*]})"; exit 2; }
done
wanted() { [[ " ${LEGS[*]} " == *" $1 "* ]]; }

passed=0
failed=0
skipped=0
table=()
started=$SECONDS

heading() { printf '\n=== %s\n' "$*"; }

# A step that is not a test runner (an install, the build) counts as one failure when it fails.
step_failed() {
  echo "FAILED: $1 (log: ${2:-above})"
  failed=$((failed + 1))
}

# install_debian PACKAGE BINARY: Debian's PACKAGE, unless BINARY is there already. One
# apt-get at a time (the installs run side by side, and apt holds one lock).
install_debian() {
  [ -x "$2" ] && return 0
  local sudo=''
  [ "$(id -u)" = 0 ] || sudo='sudo'
  flock "$LOGS/apt.lock" $sudo env DEBIAN_FRONTEND=noninteractive sh -c "apt-get update -qq && apt-get install -y -qq $1"
}
install_chromium() { install_debian chromium /usr/bin/chromium; }
# The unit legs' tests of several Node-RED processes sharing a Redis start their own redis-server.
install_redis() { install_debian redis-server /usr/bin/redis-server; }

# The runtime (Node, and Node-RED 5 for node24/node26) each leg needs.
runtime_of() {
  case $1 in
    unit-node22) echo node22 ;;
    unit-node26) echo node26 ;;
    *) echo node24 ;;
  esac
}

# Background installs, started at once; wait_install NAME waits for one (once) and
# says whether it succeeded.
declare -A install_pid install_status
start_install() {
  local name=$1
  shift
  [ -n "${install_pid[$name]:-}" ] && return
  "$@" >"$LOGS/install-$name.log" 2>&1 &
  install_pid[$name]=$!
}
wait_install() {
  local name=$1
  if [ -z "${install_status[$name]:-}" ]; then
    if wait "${install_pid[$name]}"; then install_status[$name]=ok; else install_status[$name]=failed; fi
  fi
  [ "${install_status[$name]}" = ok ]
}

for leg in "${LEGS[@]}"; do
  [ "$leg" = lint ] && continue
  runtime=$(runtime_of "$leg")
  start_install "$runtime" node "$RUNTIMES" install "$runtime"
  [ "$leg" = editor ] && start_install chromium install_chromium
  [[ "$leg" = unit-* ]] && start_install redis install_redis
done

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  heading "npm ci (builds through prepare)"
  npm ci --no-audit --no-fund || step_failed "npm ci"
else
  heading "build"
  npm run --silent build || step_failed "build (tsc)"
fi

# count LEG TITLE LOG STATUS SECONDS: adds a finished mocha run's counts and its
# row of the table; a run that ends without a summary (a crash) is one failure.
count() {
  local leg=$1 title=$2 log=$3 status=$4 secs=$5
  local plain p f s
  plain=$(sed 's/\x1b\[[0-9;]*m//g' "$log")
  p=$(grep -Eo '^ *[0-9]+ passing' <<<"$plain" | tail -1 | grep -Eo '[0-9]+')
  f=$(grep -Eo '^ *[0-9]+ failing' <<<"$plain" | tail -1 | grep -Eo '[0-9]+')
  s=$(grep -Eo '^ *[0-9]+ pending' <<<"$plain" | tail -1 | grep -Eo '[0-9]+')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${s:-0}))
  local note=''
  if [ "$status" != 0 ] && [ -z "$f" ]; then
    step_failed "$leg: mocha exited $status without a summary" "$log"
    note=' (crashed)'
  fi
  table+=("$(printf '%-12s %-44s %4d:%02d  %4s passed, %s failed%s' "$leg" "$title" $((secs / 60)) $((secs % 60)) "${p:-0}" "${f:-0}" "${s:+, $s pending}$note")")
}

# The title of a leg: its Node and Node-RED (and Chromium for the editor).
title_of() {
  local leg=$1 runtime
  runtime=$(runtime_of "$leg")
  local what
  what=$(node "$RUNTIMES" describe "$runtime")
  [ "$leg" = editor ] && what="$what, $(/usr/bin/chromium --version 2>/dev/null | sed 's/^Chromium \([0-9.]*\).*/Chromium \1/')"
  echo "$what"
}

# mocha_command LEG: the leg's command line (its Node, its Node-RED, its files) in MOCHA_CMD.
mocha_command() {
  local leg=$1 runtime
  runtime=$(runtime_of "$leg")
  local node nodered
  node=$(node "$RUNTIMES" node "$runtime")
  nodered=$(node "$RUNTIMES" node-red "$runtime")
  MOCHA_CMD=(env COMET_TEST_NODE_RED="$nodered" "$node" "$MOCHA")
  case $leg in
    unit-*) MOCHA_CMD+=("${UNIT[@]}") ;;
    editor) MOCHA_CMD+=('test/editor/*.test.js') ;;
    scorecard) MOCHA_CMD+=(test/scorecard.test.js) ;;
  esac
}

# ready LEG: waits for what the leg needs; an install that failed is one failure of the leg.
ready() {
  local leg=$1 runtime
  runtime=$(runtime_of "$leg")
  if ! wait_install "$runtime"; then
    heading "$leg"
    tail -30 "$LOGS/install-$runtime.log"
    step_failed "$leg: installing its Node and Node-RED ($runtime)" "$LOGS/install-$runtime.log"
    table+=("$(printf '%-12s %-44s %s' "$leg" "$runtime" 'install failed')")
    return 1
  fi
  if [[ "$leg" = unit-* ]] && ! wait_install redis; then
    heading "$leg"
    tail -20 "$LOGS/install-redis.log"
    step_failed "$leg: installing Debian's redis-server" "$LOGS/install-redis.log"
    table+=("$(printf '%-12s %-44s %s' "$leg" "$(title_of "$leg")" 'redis-server install failed')")
    return 1
  fi
  if [ "$leg" = editor ] && ! wait_install chromium; then
    heading "$leg"
    tail -20 "$LOGS/install-chromium.log"
    step_failed "$leg: installing Debian's chromium" "$LOGS/install-chromium.log"
    table+=("$(printf '%-12s %-44s %s' "$leg" "$(title_of "$leg")" 'chromium install failed')")
    return 1
  fi
}

# run_leg LEG: runs a leg in the foreground, its output shown as it comes and kept in .tmp/test-logs/LEG.log.
run_leg() {
  local leg=$1
  ready "$leg" || return 0
  local title log="$LOGS/$leg.log" t0=$SECONDS
  title=$(title_of "$leg")
  mocha_command "$leg"
  heading "$leg: $title"
  "${MOCHA_CMD[@]}" 2>&1 | tee "$log"
  count "$leg" "$title" "$log" "${PIPESTATUS[0]}" $((SECONDS - t0))
}

# A leg in the background (its output shown when it ends): start_bg_leg LEG, then finish_bg_leg LEG.
declare -A bg_pid bg_title
start_bg_leg() {
  local leg=$1
  ready "$leg" || return 0
  bg_title[$leg]=$(title_of "$leg")
  mocha_command "$leg"
  echo "(started $leg: ${bg_title[$leg]}, in the background; its output follows when it ends)"
  # Its own time, not the time until the leg beside it is done.
  rm -f "$LOGS/$leg.seconds"
  (
    t0=$SECONDS
    "${MOCHA_CMD[@]}" >"$LOGS/$leg.log" 2>&1
    status=$?
    echo $((SECONDS - t0)) >"$LOGS/$leg.seconds"
    exit $status
  ) &
  bg_pid[$leg]=$!
}
finish_bg_leg() {
  local leg=$1 status=0
  [ -n "${bg_pid[$leg]:-}" ] || return 0
  wait "${bg_pid[$leg]}" || status=$?
  local secs
  secs=$(cat "$LOGS/$leg.seconds" 2>/dev/null || echo 0)
  heading "$leg: ${bg_title[$leg]}"
  cat "$LOGS/$leg.log"
  count "$leg" "${bg_title[$leg]}" "$LOGS/$leg.log" "$status" "$secs"
}

# run_lint: ESLint with the build's Node; its findings are shown, and count as one failure.
run_lint() {
  local log="$LOGS/lint.log" t0=$SECONDS title status
  title="ESLint $(npx --no-install eslint --version 2>/dev/null)"
  heading "lint: $title"
  npx --no-install eslint --max-warnings 0 . 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  local secs=$((SECONDS - t0)) verdict='1 passed, 0 failed'
  if [ "$status" = 0 ]; then
    passed=$((passed + 1))
  else
    step_failed "lint: ESLint found problems" "$log"
    verdict='0 passed, 1 failed'
  fi
  table+=("$(printf '%-12s %-44s %4d:%02d  %s' lint "$title" $((secs / 60)) $((secs % 60)) "$verdict")")
}

wanted lint && run_lint

# One unit leg at a time, each with a lighter leg beside it: the scorecard
# beside Node 24 (whose install it shares), the editor beside Node 26 (by then
# Chromium has had two legs' time to install).
wanted unit-node22 && run_leg unit-node22
wanted scorecard && start_bg_leg scorecard
wanted unit-node24 && run_leg unit-node24
wanted scorecard && finish_bg_leg scorecard
wanted editor && start_bg_leg editor
wanted unit-node26 && run_leg unit-node26
wanted editor && finish_bg_leg editor

heading "all legs, $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s"
printf '%s\n' "${table[@]}"
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
