#!/usr/bin/env bash
# Reproducible benchmark of the bearer hot path and of the tokens table, on SQLite and
# PostgreSQL, at several data sizes. For each case: a fresh database, demo data + benchmark data
# (`server bench-data`), one release server, then side by side with wrk against it:
#   baseline  GET /api/v1/me without credentials (401: the cheapest answer the API gives), with
#             a filler header as long as `Authorization: Bearer <token>`
#   valid     the same with a valid token (200, served from the token cache)
#   mistyped  the valid token with its last character changed (401 by checksum, then 429 once
#             the address is throttled after 20 refusals; either way no database query)
# then the server's peak RSS (after the valid rounds), a mixed load (bearer calls, console
# pages, server functions: see mixed_load) at the first size, and the first page of the tokens
# table (list_tokens and the page).
#
# Usage: server/bench/run.sh
# Environment: BENCH_SIZES (tokens; default "1000 1000000"), BENCH_BACKENDS (default
# "sqlite postgres"), BENCH_SECONDS (per wrk run; default 5), BENCH_LOAD_SECONDS (the mixed
# load, at the first size of each backend; default 60, 0 skips it), BENCH_ROUNDS (rounds of the
# side-by-side pairs, medians reported; default 5), JETONS_TEST_POSTGRES (default
# postgres://postgres@127.0.0.1:5432, trust authentication, as for the tests), BENCH_BINARY
# (a server binary to measure instead of building one: compare two builds with two runs).
# The results table is printed and written to bench-results.md in Cargo's target directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LC_ALL=C # decimal points in EPOCHREALTIME, awk and sort

sizes=${BENCH_SIZES:-1000 1000000}
backends=${BENCH_BACKENDS:-sqlite postgres}
seconds=${BENCH_SECONDS:-5}
rounds=${BENCH_ROUNDS:-5}
load_seconds=${BENCH_LOAD_SECONDS:-60}
pg_admin=${JETONS_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}

work=$(mktemp -d)
server_pid=
pg_databases=()

cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  for db in "${pg_databases[@]}"; do
    psql -q "$pg_admin/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "error: $*" >&2; exit 1; }

# --- build and tools -------------------------------------------------------------------------
[ -n "${BENCH_BINARY:-}" ] || cargo build --release -p server
target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin=${BENCH_BINARY:-$target_dir/release/server}
[ -x "$bin" ] || die "no server binary at $bin"

if ! command -v wrk >/dev/null; then
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update
  $sudo apt-get install -y wrk
fi

export JETONS_SECURE_COOKIES=false RUST_LOG=warn LEPTOS_SITE_ADDR=127.0.0.1:0
export LEPTOS_SITE_ROOT="$work/site"
mkdir -p "$LEPTOS_SITE_ROOT"

# --- helpers ---------------------------------------------------------------------------------
max() { echo $(($1 > $2 ? $1 : $2)); }

# Runs wrk and sets: rps p50 p99 requests non2xx socket_errors
run_wrk() {
  local out="$work/wrk.txt"
  wrk -t2 -c64 -d"${seconds}s" --latency "$@" "$base/api/v1/me" >"$out"
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  requests=$(awk '/ requests in / {print $1}' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")
  non2xx=${non2xx:-0}
  socket_errors=$(awk '/Socket errors:/ {sub(/^ *Socket errors: */, ""); print}' "$out")
  [ -n "$rps" ] || { cat "$out" >&2; die "could not read wrk's output"; }
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
fmt_rps() { awk -v r="$1" 'BEGIN {printf "%.0f", r}'; }

# Median of 5 timed calls: sets median_ms and bytes. Arguments after the label go to curl.
time_calls() {
  local label=$1; shift
  local times=() status size t
  for _ in 1 2 3 4 5; do
    read -r status t size < <(curl -sS -o "$work/answer" -w '%{http_code} %{time_total} %{size_download}\n' \
      -b "$jar" -H "Origin: $base" "$@")
    [ "$status" = 200 ] || { head -c 500 "$work/answer" >&2; echo >&2; die "$label answered $status"; }
    times+=("$t")
  done
  median_ms=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 3p | awk '{printf "%.1f", $1 * 1000}')
  bytes=$size
}

# --- the mixed load ---------------------------------------------------------------------------
# wrk with mixed.lua for BENCH_LOAD_SECONDS against the running server: bearer calls, console
# pages and server functions. The server's resident memory and open descriptors are sampled
# every second; any non-2xx/3xx answer or socket error fails the run.
load_rows=()
mixed_load() {
  local backend=$1 tokens=$2 out="$work/load.txt" samples="$work/samples.txt" cookie
  cookie=$(awk '$6 ~ /jetons_session$/ {print $6 "=" $7}' "$jar")
  [ -n "$cookie" ] || die "no session cookie for the mixed load"
  : >"$samples"
  BENCH_TOKEN=$token BENCH_COOKIE=$cookie BENCH_ORIGIN=$base \
    wrk -t2 -c32 -d"${load_seconds}s" --timeout 10s --latency -s server/bench/mixed.lua \
    "$base" >"$out" &
  local wrk_pid=$! second=0
  while kill -0 "$wrk_pid" 2>/dev/null; do
    sleep 1
    second=$((second + 1))
    echo "$second $(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status") $(ls "/proc/$server_pid/fd" | wc -l)" >>"$samples"
  done
  wait "$wrk_pid" || die "wrk failed: $(cat "$out")"
  local rps requests non2xx errors at10 atend
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
  requests=$(awk '/ requests in / {print $1}' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")
  errors=$(awk '/Socket errors:/ {sub(/^ *Socket errors: */, ""); print}' "$out")
  at10=$(awk '$1 == 10 {printf "%.0f MiB, %d fds", $2 / 1024, $3}' "$samples")
  # The last sample while wrk still runs (its connections all open, as at 10 s).
  atend=$(awk -v last=$((load_seconds - 1)) '$1 == last {printf "%.0f MiB, %d fds (second %d)", $2 / 1024, $3, $1}' "$samples")
  echo "mixed load: $requests requests, $rps req/s, non-2xx/3xx ${non2xx:-0}, socket errors ${errors:-none}; at 10 s $at10; at the end $atend"
  load_rows+=("| $backend | $tokens | ${load_seconds} | $requests | $rps | ${non2xx:-0} | ${errors:-0} | $at10 | $atend |")
  [ -z "$non2xx" ] && [ -z "$errors" ] || { cat "$out" >&2; die "the mixed load had errors"; }
}

# --- one case --------------------------------------------------------------------------------
rows=()
non2xx_notes=()

bench_case() {
  local backend=$1 tokens=$2 case_dir="$work/$1-$2"
  mkdir -p "$case_dir"
  if [ "$backend" = postgres ]; then
    local db="jetons_bench_$$_${RANDOM}"
    psql -q -v ON_ERROR_STOP=1 "$pg_admin/postgres" -c "CREATE DATABASE $db" >/dev/null
    pg_databases+=("$db")
    export DATABASE_URL="$pg_admin/$db"
  else
    export DATABASE_URL="sqlite://$case_dir/jetons.db"
  fi
  echo
  echo "== $backend, $tokens tokens"

  local demo password token people technical started seeding
  demo=$("$bin" demo)
  password=$(sed -n 's/.* with password \([^ ]*\) (shown only this once).*/\1/p' <<<"$demo")
  [ -n "$password" ] || die "no admin password in: $demo"
  people=$(max $((tokens / 10)) 100)
  technical=$(max $((tokens / 100)) 10)
  started=$EPOCHREALTIME
  token=$("$bin" bench-data --people "$people" --technical "$technical" --tokens "$tokens")
  seeding=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.2f", b - a}')
  [[ $token == jet_* ]] || die "bench-data printed no token"
  echo "seeded $people people, $technical technical users, $tokens tokens in ${seeding}s"
  # Statistics as a live database has them, and no autovacuum of the fresh rows competing
  # with the measurements for the same cores.
  if [ "$backend" = postgres ]; then
    psql -q "$DATABASE_URL" -c "VACUUM ANALYZE" >/dev/null
  else
    sqlite3 "${DATABASE_URL#sqlite://}" "ANALYZE" 2>/dev/null || true
  fi

  "$bin" serve >"$case_dir/server.out" 2>"$case_dir/server.err" &
  server_pid=$!
  base=
  for _ in $(seq 300); do
    base=$(sed -n 's/^Jetons console listening on \(http:[^ ]*\)$/\1/p' "$case_dir/server.out")
    [ -n "$base" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$case_dir/server.err" >&2; die "the server stopped"; }
    sleep 0.1
  done
  [ -n "$base" ] || die "the server printed no address within 30 s"
  sleep 1 # the token cache starts trusting itself once its change feed has been heard
  # The steady state: the token is in the cache (concurrent first calls share one lookup).
  local warm
  warm=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/v1/me")
  [ "$warm" = 200 ] || die "the benchmark token got $warm"

  local mistyped="${token%?}"
  [ "${token: -1}" = A ] && mistyped+=B || mistyped+=A

  # Rounds of (baseline, valid), then rounds of (baseline, mistyped): each pair side by side,
  # in alternating order (ABBA: a drift during a round favours neither), one ratio per pair,
  # the medians reported (the machine is shared: a run can be disturbed). Mistyped tokens
  # block the address for a minute (then every bearer call from it gets 429), so they come
  # last.
  local base_all=() base2_all=() valid_all=() mist_all=() valid_ratios=() mist_ratios=()
  local valid_lats=() notes=""
  local base_rps base2_rps valid_rps valid_lat mist_rps pair_base
  # The baseline sends a header as long as the token's, so both sides send the same bytes and
  # the difference measured is the server's work.
  local padding="Bearer ${token//?/x}"
  measure_baseline() {
    run_wrk -H "X-Bench-Blank: $padding"
    pair_base=$rps
    echo "round $round baseline  $(fmt_rps "$rps") req/s  p50 $p50  p99 $p99  non-2xx/3xx $non2xx of $requests"
  }
  measure_valid() {
    run_wrk -H "Authorization: Bearer $token"
    valid_all+=("$rps") valid_lats+=("$rps $p50 / $p99")
    notes+=" valid $non2xx/$requests;"
    echo "round $round valid     $(fmt_rps "$rps") req/s  p50 $p50  p99 $p99  non-2xx/3xx $non2xx of $requests"
    [ "$non2xx" = 0 ] || die "$non2xx of $requests valid-token requests were refused"
    [ -z "$socket_errors" ] || echo "          socket errors: $socket_errors"
  }
  measure_mistyped() {
    run_wrk -H "Authorization: Bearer $mistyped"
    mist_all+=("$rps")
    notes+=" mistyped $non2xx/$requests;"
    echo "round $round mistyped  $(fmt_rps "$rps") req/s  p50 $p50  p99 $p99  non-2xx/3xx $non2xx of $requests"
  }
  for round in $(seq "$rounds"); do
    if ((round % 2)); then measure_baseline; measure_valid; else measure_valid; measure_baseline; fi
    base_all+=("$pair_base")
    valid_ratios+=("$(ratio "${valid_all[-1]}" "$pair_base")")
  done
  local rss_mib
  rss_mib=$(awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status")
  echo "peak RSS  $rss_mib MiB"

  jar="$case_dir/cookies"
  local status
  status=$(curl -sS -o "$work/answer" -w '%{http_code}' -c "$jar" -H "Origin: $base" \
    -H 'Accept: application/json' --data-urlencode login=admin --data-urlencode "password=$password" \
    "$base/api/login")
  [ "$status" = 200 ] || { cat "$work/answer" >&2; die "login answered $status"; }
  # Before the mistyped tokens, which block this address's bearer calls for a minute.
  if [ "$tokens" = "${sizes%% *}" ] && [ "$load_seconds" -gt 0 ]; then
    mixed_load "$backend" "$tokens"
  fi
  for round in $(seq "$rounds"); do
    if ((round % 2)); then measure_baseline; measure_mistyped; else measure_mistyped; measure_baseline; fi
    base2_all+=("$pair_base")
    mist_ratios+=("$(ratio "${mist_all[-1]}" "$pair_base")")
  done
  echo "valid/baseline per round: ${valid_ratios[*]}; mistyped/baseline per round: ${mist_ratios[*]}"
  base_rps=$(median "${base_all[@]}")
  base2_rps=$(median "${base2_all[@]}")
  valid_rps=$(median "${valid_all[@]}")
  mist_rps=$(median "${mist_all[@]}")
  valid_lat=$(printf '%s\n' "${valid_lats[@]}" | awk -v m="$valid_rps" '$1 == m {print $2, $3, $4; exit}')

  local list_ms list_bytes page_ms page_bytes search_ms short_ms filter_ms
  time_calls list_tokens -H 'Accept: application/json' -d '' "$base/api/list_tokens"
  list_ms=$median_ms list_bytes=$bytes
  time_calls page "$base/security/api-tokens"
  page_ms=$median_ms page_bytes=$bytes
  # The worst case of the search: a text no row holds (no index serves '%text%').
  time_calls search -H 'Accept: application/json' -d 'q=no such text' "$base/api/list_tokens"
  search_ms=$median_ms
  # One or two characters are matched at the start of names and logins, through an index.
  time_calls short -H 'Accept: application/json' -d 'q=zq' "$base/api/list_tokens"
  short_ms=$median_ms
  time_calls filter -H 'Accept: application/json' -d 'status=user_inactive' "$base/api/list_tokens"
  filter_ms=$median_ms
  echo "list_tokens ${list_ms} ms (${list_bytes} bytes), page ${page_ms} ms (${page_bytes} bytes), status filter ${filter_ms} ms, search without match ${search_ms} ms (2 characters: ${short_ms} ms)"

  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=

  rows+=("| $backend | $tokens | $(fmt_rps "$base_rps") / $(fmt_rps "$base2_rps") | $(fmt_rps "$valid_rps") ($(median "${valid_ratios[@]}")×) | $(fmt_rps "$mist_rps") ($(median "${mist_ratios[@]}")×) | $valid_lat | $rss_mib | $list_ms ($list_bytes B) | $page_ms ($page_bytes B) | $filter_ms | $search_ms | $short_ms | $seeding |")
  non2xx_notes+=("- $backend, $tokens tokens: non-2xx/3xx of all requests: $notes")
}

for backend in $backends; do
  for tokens in $sizes; do
    bench_case "$backend" "$tokens"
  done
done

# --- results ---------------------------------------------------------------------------------
results="$target_dir/bench-results.md"
{
  echo "# Bearer hot path and tokens table"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')," \
    "$(nproc) CPUs, wrk -t2 -c64 -d${seconds}s on the same machine, medians of $rounds rounds;" \
    "a ratio is the median of the per-round ratios (each against the baseline run beside it)."
  echo
  echo "| backend | tokens | baseline req/s (beside valid / beside mistyped) | valid req/s (ratio) | mistyped req/s (ratio) | p50/p99 valid | peak RSS MiB | list_tokens first page ms | page ms | status filter ms | search, no match ms | 2-character search, no match ms | seeding s |"
  echo "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  if [ "${#load_rows[@]}" -gt 0 ]; then
    echo "Mixed load (wrk -t2 -c32, mixed.lua: 1/2 bearer calls, 1/4 tokens page, 1/4 list_tokens; server RSS and open descriptors):"
    echo
    echo "| backend | tokens | seconds | requests | req/s | non-2xx/3xx | socket errors | at 10 s | near the end |"
    echo "|---|---:|---:|---:|---:|---:|---|---|---|"
    printf '%s\n' "${load_rows[@]}"
    echo
  fi
  printf '%s\n' "${non2xx_notes[@]}"
} >"$results"
echo
cat "$results"
echo
echo "written to $results"
