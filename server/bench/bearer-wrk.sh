#!/usr/bin/env bash
# Bearer hot-path load test: one or more server binaries, each on a fresh SQLite database, the
# same wrk runs in one go so the figures compare. Usage:
#   server/bench/bearer-wrk.sh [SECONDS] BINARY [BINARY...]
# Build a binary with: cargo build -p server --release   (then copy target/release/server)
set -euo pipefail
seconds=${1:-8}; shift
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
port=3470
for bin in "$@"; do
  dir=$(mktemp -d)
  export DATABASE_URL="sqlite://$dir/bench.db" JETONS_SECURE_COOKIES=false RUST_LOG=warn
  export LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$dir/site"
  echo "bench-password-1" | "$bin" user add --login admin --name Admin --right 090201 \
    --employed-from 2020-01-01 --password-stdin >/dev/null
  "$bin" user add --login svc --name Service --technical --employed-from 2020-01-01 >/dev/null
  "$bin" flag enable Technique 'Jetons Api' >/dev/null
  "$bin" serve >"$dir/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do curl -s "http://127.0.0.1:$port/login" >/dev/null && break; sleep 0.1; done
  base="http://127.0.0.1:$port"
  jar="$dir/cookies"
  curl -s -c "$jar" -H "Origin: $base" -H 'Accept: application/json' \
    --data 'login=admin&password=bench-password-1' "$base/api/login" >/dev/null
  token=$(curl -s -b "$jar" -H "Origin: $base" -H 'Accept: application/json' \
    --data 'user_id=2&name=bench&expiration=2099-12-31' "$base/api/create_token" |
    sed -E 's/.*"token":"(jet_[0-9A-Za-z]+)".*/\1/')
  mistyped="${token:0:10}$([ "${token:10:1}" = A ] && echo B || echo A)${token:11}"
  echo "== $bin"
  for case in valid mistyped none; do
    case $case in
      valid) header=(-H "Authorization: Bearer $token") ;;
      mistyped) header=(-H "Authorization: Bearer $mistyped") ;;
      none) header=() ;;
    esac
    printf '%-9s ' "$case"
    wrk -t1 -c16 -d"${seconds}s" "${header[@]}" "$base/api/v1/me" |
      awk '/Requests\/sec/ {rps=$2} /Latency/ {lat=$2} /Non-2xx/ {non=$5}
           END {printf "%10s req/s  avg latency %s  non-2xx %s\n", rps, lat, non}'
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
done
