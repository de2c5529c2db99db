#!/usr/bin/env bash
# make bench-serve: uploads the whole synthetic national inbox (bench/data/csv,
# 8,562 files) with 64 concurrent clients on loopback, first to nginx with
# dav_methods PUT (the anchor for "receive and store": no validation, no
# sync), then to `edupipe serve` (validated, synced, receipted, recorded in
# the ledger), and prints files/s, p50 and p99 latency (all files and the
# class-size files) and peak RSS of both. The load client is C
# (bench/putload.c) and reports its own CPU time. Nothing asserts on time.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/edupipe
DATA=bench/data
CONNECTIONS=${CONNECTIONS:-64}
[ -x "$BIN" ] || swift build -c release --static-swift-stdlib
command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; }
command -v gcc >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc; }
[ -d $DATA/csv ] || $BIN synth --out $DATA/csv --seed 2022 --forms csv.gz
OUT=$(mktemp -d)
cleanup() {
  [ -f "$OUT/nginx/nginx.pid" ] && nginx -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx" -s stop 2>/dev/null || true
  [ -n "${SERVE:-}" ] && kill "$SERVE" 2>/dev/null || true
  rm -rf "$OUT"
}
trap cleanup EXIT
gcc -O2 -pthread -o "$OUT/putload" bench/putload.c
find $DATA/csv -type f -name '[0-9]*_*' | sort > "$OUT/files"
N=$(wc -l < "$OUT/files")
BYTES=$(xargs -a "$OUT/files" cat | wc -c)
echo "inbox: $N files, $BYTES bytes (gzip), $CONNECTIONS connections, $(nproc) cores"

peak_rss_kb() { # pids...: the sum of their peak resident memory
  local total=0
  for p in "$@"; do total=$((total + $(awk '/VmHWM/ {print $2}' /proc/$p/status))); done
  echo $total
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# nginx, as Debian ships it, with WebDAV PUT into a folder.
PORT=$(free_port)
mkdir -p "$OUT/nginx/root/files" "$OUT/nginx/tmp" "$OUT/nginx/logs"
USER_LINE=""; [ "$(id -u)" -eq 0 ] && USER_LINE="user root;"
cat > "$OUT/nginx/nginx.conf" <<CONF
$USER_LINE
worker_processes auto;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $OUT/nginx/tmp;
  client_max_body_size 1g;
  server {
    listen 127.0.0.1:$PORT;
    root $OUT/nginx/root;
    location /files/ { dav_methods PUT; create_full_put_path on; dav_access user:rw group:r all:r; }
  }
}
CONF
nginx -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx"
sleep 0.5
NGINX_PIDS=$(pgrep -f "nginx.*$OUT/nginx" | tr '\n' ' ')
echo
echo "== nginx dav PUT (receive and store) =="
"$OUT/putload" "$PORT" /files/ "$CONNECTIONS" class_size < "$OUT/files" | tee "$OUT/nginx.txt"
echo "peak RSS, master and workers: $(peak_rss_kb $NGINX_PIDS) kB"
nginx -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx" -s stop
rm -f "$OUT/nginx/nginx.pid"

# edupipe serve: a national account, an empty inbox and state.
PORT=$(free_port)
TOKEN=$($BIN accounts add --unit 000000 --name bench --state "$OUT/state" 2>/dev/null)
mkdir -p "$OUT/inbox"
$BIN serve --inbox "$OUT/inbox" --state "$OUT/state" --listen 127.0.0.1:$PORT > "$OUT/serve.out" 2>&1 &
SERVE=$!
for _ in $(seq 100); do grep -q listening "$OUT/serve.out" 2>/dev/null && break; sleep 0.1; done
echo
echo "== edupipe serve (validate, sync, receipt, ledger) =="
"$OUT/putload" "$PORT" /api/v1/files/ "$CONNECTIONS" class_size "$TOKEN" < "$OUT/files" | tee "$OUT/edupipe.txt"
echo "peak RSS: $(peak_rss_kb $SERVE) kB"
kill -TERM $SERVE; wait $SERVE || true; SERVE=
echo "stored: $(find "$OUT/inbox" -type f | wc -l) files"
nw=$(sed -n 's/.*wall=\([0-9.]*\) s.*/\1/p' "$OUT/nginx.txt")
ew=$(sed -n 's/.*wall=\([0-9.]*\) s.*/\1/p' "$OUT/edupipe.txt")
echo
echo "edupipe serve / nginx wall time: $(python3 -c "print(f'{$ew/$nw:.2f}x')") (goal: at most 2x)"
