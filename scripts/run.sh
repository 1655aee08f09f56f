#!/usr/bin/env bash
# Builds ObjectSync and launches the host with its example plugins and the seed's `dom` scene.
# Extra arguments go to objectsync-host (for example --port 9000 or --headless).
# Without a display the host runs headless.
set -euo pipefail
cd "$(dirname "$0")/.."

"$(pwd)/scripts/setup-deps.sh"
cmake -S . -B build -G Ninja
cmake --build build -j "$(nproc)"

args=(--scene dom)
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: running headless (the inspector needs a display)."
  args+=(--headless)
fi
exec build/bin/objectsync-host "${args[@]}" "$@"
