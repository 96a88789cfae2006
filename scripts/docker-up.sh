#!/usr/bin/env bash
# Starts a private Docker Engine for the tests: loopback-only, no bridge, no iptables, state
# under $1 (default .tmp/docker). Prints the DOCKER_HOST to use. Idempotent: an engine that
# already answers on that socket is reused. Needs root and Debian's docker.io.
set -euo pipefail
dir=$(realpath -m "${1:-.tmp/docker}")
sock="$dir/docker.sock"
mkdir -p "$dir"
if curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; then
  echo "unix://$sock"; exit 0
fi
command -v dockerd >/dev/null || { echo "dockerd not installed: apt-get install -y docker.io" >&2; exit 1; }
setsid dockerd --host "unix://$sock" --data-root "$dir/data" --exec-root "$dir/exec" \
  --pidfile "$dir/dockerd.pid" --bridge=none --iptables=false --ip-masq=false \
  >"$dir/dockerd.log" 2>&1 < /dev/null &
for _ in $(seq 1 100); do
  if curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; then echo "unix://$sock"; exit 0; fi
  sleep 0.1
done
echo "dockerd did not answer on $sock within 10 s; see $dir/dockerd.log" >&2
tail -20 "$dir/dockerd.log" >&2
exit 1
