#!/usr/bin/env bash
# Builds ObjectSync and launches the host with its example plugins and the seed's `dom` scene.
# The objects are kept in the default workspace (in the user's data folder), so the scene is
# built only on the first run; later runs continue where the last one stopped. Extra
# arguments go to objectsync-host (for example --port 9000, --headless, --no-workspace or
# --workspace FILE).
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
