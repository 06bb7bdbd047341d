#!/usr/bin/env bash
# Install what this machine lacks: Debian packages (audio rendering, Redis, PostgreSQL for the
# integration tests, Node.js for the pages' JavaScript), then the pinned Python packages in .venv
# and the browser libraries in static/vendor. Re-running skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(fluidsynth timgm6mb-soundfont flac lame redis-server postgresql)
[ "${WITH_BROWSER:-1}" = 1 ] && APT_PACKAGES+=(chromium)
# Node.js and npm build the pages' JavaScript (scripts/vendor.sh); Debian's, unless one is on PATH.
command -v node >/dev/null || APT_PACKAGES+=(nodejs)
command -v npm >/dev/null || APT_PACKAGES+=(npm)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.requirements.sha"
want="$(sha256sum requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> installing Python packages (pinned in requirements.txt)"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements.txt
  .venv/bin/pip install -q --no-deps -e .
  echo "$want" > "$stamp"
fi
scripts/vendor.sh  # the browser libraries and the soundfont the pages play with, into static/vendor/
