#!/usr/bin/env bash
# Stops the private Docker Engine started by docker-up.sh and unmounts what it leaves behind.
set -uo pipefail
dir=$(realpath -m "${1:-.tmp/docker}")
if [ -f "$dir/dockerd.pid" ]; then
  kill "$(cat "$dir/dockerd.pid")" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$(cat "$dir/dockerd.pid")" 2>/dev/null || break; sleep 0.1; done
fi
umount "$dir/exec/netns/default" 2>/dev/null || true
exit 0
