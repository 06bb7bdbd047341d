#!/usr/bin/env bash
# The browser libraries, served by the site itself (no CDN): the npm packages pinned in
# package-lock.json, bundled or copied into static/vendor/, and the General MIDI soundfont of
# Debian's timgm6mb-soundfont package. Re-running skips what is up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

VENDOR=static/vendor
SOUNDFONT="${ARENA_SOUNDFONT:-/usr/share/sounds/sf2/TimGM6mb.sf2}"
want="$(sha256sum package-lock.json scripts/vendor.sh scripts/vendor/*.mjs | sha256sum | cut -d' ' -f1)"
stamp="$VENDOR/.built.sha"
BUILT=(spessasynth.min.js spessasynth_processor.min.js opensheetmusicdisplay.min.js TimGM6mb.sf2)
built() { for file in "${BUILT[@]}"; do [ -f "$VENDOR/$file" ] || return 1; done; }
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && built; then
  exit 0
fi
for tool in node npm; do
  command -v "$tool" >/dev/null || {
    echo "$tool is missing: the pages' JavaScript is built with Node.js and npm" \
      "(apt-get install nodejs npm, or scripts/bootstrap.sh does it)" >&2
    exit 1
  }
done
echo "==> building the browser libraries into $VENDOR (pinned in package-lock.json)"
# No install scripts: nothing here needs one (esbuild's binary is its own npm package).
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
mkdir -p "$VENDOR"
node_modules/.bin/esbuild scripts/vendor/spessasynth.mjs --bundle --minify --format=iife \
  --global-name=SpessaSynth --target=es2020 --legal-comments=none --log-level=warning \
  --outfile="$VENDOR/spessasynth.min.js"
cp node_modules/spessasynth_lib/dist/spessasynth_processor.min.js "$VENDOR/"
cp node_modules/opensheetmusicdisplay/build/opensheetmusicdisplay.min.js "$VENDOR/"
[ -f "$SOUNDFONT" ] || { echo "no soundfont at $SOUNDFONT: apt-get install timgm6mb-soundfont" >&2; exit 1; }
cp "$SOUNDFONT" "$VENDOR/TimGM6mb.sf2"
echo "$want" > "$stamp"
