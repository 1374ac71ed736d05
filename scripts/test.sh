#!/usr/bin/env bash
# npm test: the whole suite. Builds, runs the unit tests, brings the local five-city
# network up when it is not running (and the gateways), runs the integration,
# gateway, CLI and browser suites against it, and stops what it started.
# Prints "N passed, N failed[, N skipped]" last and writes it to .runtime/test-summary.txt.
# Options (environment): JCC_TEST_SUITES="unit deploy integration gateway fuzz cli browser e2e faults faults-bft hosts" to choose suites.
# faults-bft stops the Raft network (its ledger kept), runs a SmartBFT network in .runtime/bft for the
# BFT fault scenarios, removes it, and brings the Raft network back if it was running before.
# hosts runs a network of its own in .runtime/hosts with `network:up -- --hosts` (one network namespace per
# city, names prefixed JCC_NETNS_PREFIX, default jcc-, on JCC_HOSTS_SUBNET, default 10.251.0.0/24), runs the
# integration and gateway suites, the kit-equals-hosts check and the city-cut-off fault scenario
# (test/mocharc.hosts.json) from its hub namespace, then removes
# it (namespaces included). It needs root; without root it is counted like a network that cannot come up.
# With CI=true or JCC_REQUIRE_NETWORK=1 a network that cannot come up fails the run (its suites'
# tests are counted as failed); otherwise they are counted as skipped and the reason is printed last.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .runtime/test-logs && rm -f .runtime/test-logs/*.log
suites=${JCC_TEST_SUITES:-"unit deploy integration gateway fuzz cli browser e2e faults faults-bft hosts"}
passed=0 failed=0 skipped=0 status=0
started_network=0 started_gateways=0
require_network=0
{ [ "${CI:-}" = true ] || [ "${JCC_REQUIRE_NETWORK:-}" = 1 ]; } && require_network=1

count() { # $1 = log file: adds mocha's summary to the totals
  local p f s
  p=$(grep -E '^\s+[0-9]+ passing' "$1" | tail -1 | grep -oE '[0-9]+' | head -1)
  f=$(grep -E '^\s+[0-9]+ failing' "$1" | tail -1 | grep -oE '[0-9]+' | head -1)
  s=$(grep -E '^\s+[0-9]+ pending' "$1" | tail -1 | grep -oE '[0-9]+' | head -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
  if [ -z "$p" ] && [ -z "$f" ] && [ -z "$s" ]; then failed=$((failed + 1)); echo "!! $1: mocha ended without a summary (counted as one failure)"; fi
}

run_suite() { # $1 = suite name [$2 = log name, $3 = network namespace to run it in]
  local config="test/mocharc.$1.json" log=".runtime/test-logs/${2:-$1}.log"
  [ -f "$config" ] || { echo "-- no $config, suite $1 skipped"; return; }
  echo "== suite ${2:-$1}"
  if [ -n "${3:-}" ]; then ip netns exec "$3" npx mocha --config "$config" 2>&1 | tee "$log"
  else npx mocha --config "$config" 2>&1 | tee "$log"; fi
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  count "$log"
}

# A network suite that cannot run: its tests (counted without running them) are failures
# when the network is required (CI=true or JCC_REQUIRE_NETWORK=1), otherwise skipped.
not_run() { # $1 = suite name
  local n
  n=$(npx mocha --config "test/mocharc.$1.json" --dry-run --reporter json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).stats.tests)}catch{console.log(1)}})')
  n=${n:-1}; [ "$n" -gt 0 ] 2>/dev/null || n=1
  if [ "$require_network" = 1 ]; then
    failed=$((failed + n)); status=1
    echo "!! suite $1: $n tests not run, counted as failed: $network_problem"
  else
    skipped=$((skipped + n))
    echo "-- suite $1: $n tests skipped: $network_problem"
  fi
}

cleanup() {
  if [ "$started_gateways" = 1 ]; then npm run --silent gateways:stop || true; fi
  if [ "$started_network" = 1 ] && [ "${JCC_KEEP_NETWORK:-}" != 1 ]; then npm run --silent network:down || true; fi
}
trap cleanup EXIT

echo "== build"
if ! npm run --silent build; then echo "!! build failed"; status=1; failed=$((failed + 1)); fi
echo "== lint and format"
if ! npm run --silent lint; then echo "!! eslint found problems"; status=1; failed=$((failed + 1)); fi
if ! npm run --silent format:check >/dev/null; then echo "!! prettier: files not formatted (npm run format)"; status=1; failed=$((failed + 1)); fi

wants() { case " $suites " in *" $1 "*) return 0;; *) return 1;; esac; }

wants unit && run_suite unit
wants deploy && run_suite deploy

network_suites=""
for s in integration gateway fuzz cli browser e2e faults; do wants "$s" && network_suites="$network_suites $s"; done
network_problem=""
if [ -n "$network_suites" ]; then
  if ! npm run --silent network:status >/dev/null 2>&1; then
    echo "== the local network is not running: npm run network:up"
    started_network=1
    npm run --silent network:up
    code=$?
    [ "$code" -eq 0 ] || network_problem="network:up failed (exit $code); its output is above"
  fi
  for s in $network_suites; do
    if [ -z "$network_problem" ] && [ "$s" != integration ] && [ "$started_gateways" = 0 ]; then
      if ! curl -fsS -o /dev/null http://127.0.0.1:8101/healthz 2>/dev/null; then
        echo "== starting the five gateways"
        # Loopback webhook receivers and a short retry budget, so the console test sees a real dead letter;
        # every 2xx answer checked against its declared response schema.
        if JCC_CHECK_RESPONSES=true JCC_NOTIFY_ALLOW_LOOPBACK=true JCC_NOTIFY_RETRY_INITIAL_MS=300 JCC_NOTIFY_RETRY_MAX_MS=1000 JCC_NOTIFY_RETRY_ATTEMPTS=3 \
          npm run --silent gateways; then started_gateways=1; else network_problem="the gateways did not start; see .runtime/logs/gateway.*.log"; fi
      fi
    fi
    if [ -z "$network_problem" ]; then run_suite "$s"; else not_run "$s"; fi
  done
fi

if wants faults-bft; then
  if [ -n "$network_problem" ]; then not_run faults-bft
  else
    echo "== a SmartBFT network of its own (.runtime/bft) for the faults-bft suite"
    raft_was_running=0
    npm run --silent network:status >/dev/null 2>&1 && raft_was_running=1
    if [ "$started_gateways" = 1 ]; then npm run --silent gateways:stop || true; started_gateways=0; fi
    npm run --silent network:down >/dev/null
    rm -rf .runtime/bft .data/test-gateways-bft
    if JCC_RUNTIME_DIR="$PWD/.runtime/bft" npm run --silent network:up -- --consensus bft; then
      JCC_RUNTIME_DIR="$PWD/.runtime/bft" JCC_TEST_DATA_DIR="$PWD/.data/test-gateways-bft" run_suite faults-bft
    else
      network_problem="network:up -- --consensus bft failed; its output is above"
      not_run faults-bft
    fi
    JCC_RUNTIME_DIR="$PWD/.runtime/bft" npm run --silent network:down >/dev/null || true
    rm -rf .runtime/bft .data/test-gateways-bft
    if [ "$raft_was_running" = 1 ] && [ "$started_network" = 0 ]; then npm run --silent network:up || status=1; fi
  fi
fi

HOSTS_SUITES="integration gateway hosts"
if wants hosts; then
  hosts_started=$SECONDS
  hosts_rt="$PWD/.runtime/hosts" hosts_data="$PWD/.data/test-gateways-hosts"
  hub="${JCC_NETNS_PREFIX:-jcc-}hub"
  if [ "$(id -u)" != 0 ]; then
    network_problem="the --hosts mode needs root (it creates network namespaces)"
    for s in $HOSTS_SUITES; do not_run "$s"; done
  else
    echo "== a --hosts network of its own (.runtime/hosts): one network namespace per city, clients in $hub"
    # The single-host network (its ledger kept) and its gateways make room on the machine.
    single_was_running=0
    npm run --silent network:status >/dev/null 2>&1 && single_was_running=1
    if [ "$started_gateways" = 1 ]; then npm run --silent gateways:stop || true; started_gateways=0; fi
    [ "$single_was_running" = 1 ] && npm run --silent network:down >/dev/null
    JCC_RUNTIME_DIR="$hosts_rt" npm run --silent network:down -- --purge >/dev/null 2>&1 || true
    rm -rf "$hosts_rt" "$hosts_data"
    if JCC_RUNTIME_DIR="$hosts_rt" npm run --silent network:up -- --hosts; then
      for s in $HOSTS_SUITES; do
        JCC_RUNTIME_DIR="$hosts_rt" JCC_TEST_DATA_DIR="$hosts_data" JCC_FAULTS_FILE="$PWD/.runtime/faults.json" run_suite "$s" "hosts-$s" "$hub"
      done
    else
      network_problem="network:up -- --hosts failed; its output is above"
      for s in $HOSTS_SUITES; do not_run "$s"; done
    fi
    JCC_RUNTIME_DIR="$hosts_rt" npm run --silent network:down -- --purge >/dev/null || true
    rm -rf "$hosts_rt" "$hosts_data"
    if [ "$single_was_running" = 1 ] && [ "$started_network" = 0 ]; then npm run --silent network:up || status=1; fi
  fi
  echo "-- suite hosts took $((SECONDS - hosts_started)) s"
fi

# The failing tests by name, so that the end of a long run says which ones (mocha's "N failing" section, shortened).
for log in .runtime/test-logs/*.log; do
  [ -f "$log" ] && grep -qE '^\s+[0-9]+ failing' "$log" || continue
  echo
  echo "!! failing in $(basename "$log" .log):"
  awk '/^ +[0-9]+ failing/ { on = 1; next } on && /^ +[0-9]+\) / { n = 0; print; next } on && n < 6 && NF { n++; print }' "$log" | cut -c1-220 | head -60
done

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line" > .runtime/test-summary.txt
if [ -n "$network_problem" ]; then
  echo
  if [ "$require_network" = 1 ]; then echo "!! the network suites could not run (CI=true or JCC_REQUIRE_NETWORK=1, so they count as failures): $network_problem"
  else echo "-- the network suites were skipped (set JCC_REQUIRE_NETWORK=1 to make this a failure): $network_problem"; fi
fi
echo
echo "$line"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
