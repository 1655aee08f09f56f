#!/usr/bin/env bash
# Installs what building and testing ObjectSync needs on Debian 12 (run as root, or with sudo
# available). Does nothing for packages that are already there.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-httpserver-dev libqt6sql6-sqlite
  qt6-tools-dev libgl-dev
  libssl-dev prometheus-cpp-dev openssl
  dpkg-dev
  libbenchmark-dev
  clang libclang-rt-14-dev
  xvfb xauth
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The web client needs Node.js 18.17 or newer and npm: Debian 12's nodejs (18.x) and npm will do.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 18 || (a === 18 && b >= 17) ? 0 : 1)'; then
  echo "warning: Node.js $(node --version) is too old for the web client (18.17 or newer is needed): update nodejs" >&2
fi
