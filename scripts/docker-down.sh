#!/usr/bin/env bash
# Stops the private Docker Engine started by docker-up.sh and unmounts what it leaves behind.
set -uo pipefail
dir=$(realpath -m "${1:-.tmp/docker}")
if [ -f "$dir/dockerd.pid" ]; then
  pid=$(cat "$dir/dockerd.pid")
  kill "$pid" 2>/dev/null
  # dockerd removes its pid file as it exits; wait on the process itself (at most 10 s).
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi
umount "$dir/exec/netns/default" 2>/dev/null || true
exit 0
