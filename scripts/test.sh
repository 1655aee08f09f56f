#!/usr/bin/env bash
# Builds ObjectSync and runs every test with ctest.
#   scripts/test.sh              the normal build in build/
#   scripts/test.sh --sanitize   a separate build in build-asan/ with AddressSanitizer and
#                                UndefinedBehaviorSanitizer (C++ tests only)
set -euo pipefail
cd "$(dirname "$0")/.."

"$(pwd)/scripts/setup-deps.sh"

jobs=$(nproc)
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DOBJECTSYNC_SANITIZE=ON \
        -DOBJECTSYNC_BUILD_WEBCLIENT=OFF -DOBJECTSYNC_BUILD_BENCH=OFF
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
  dir=build
  cmake -S . -B "$dir" -G Ninja
fi
cmake --build "$dir" -j "$jobs"
ctest --test-dir "$dir" --output-on-failure -j "$jobs"
