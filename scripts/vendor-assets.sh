#!/usr/bin/env bash
# Refreshes the vendored front-end libraries from the npm registry at pinned versions.
# Run by a maintainer when a version changes; nothing needs Node to install or run Dimos.
set -euo pipefail
cd "$(dirname "$0")/.."
DIGIGOV_CSS=0.37.0
HTMX=2.0.4
LEAFLET=1.9.4
dest=src/dimos/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() {  # package version
  (cd "$tmp" && npm pack --silent "$1@$2" >/dev/null)
  local tgz
  tgz=$(ls "$tmp"/*.tgz)
  mkdir -p "$tmp/$1" && tar xzf "$tgz" -C "$tmp/$1" && rm "$tgz"
}
fetch @digigov/css "$DIGIGOV_CSS"
install -D -m 644 "$tmp/@digigov/css/package/dist/digigov.css" "$dest/digigov/digigov.css"
# The package ships no licence file: digigov/LICENSE (BSD-2-Clause text) is kept in git.
fetch htmx.org "$HTMX"
install -D -m 644 "$tmp/htmx.org/package/dist/htmx.min.js" "$dest/htmx/htmx.min.js"
install -D -m 644 "$tmp/htmx.org/package/LICENSE" "$dest/htmx/LICENSE"
fetch leaflet "$LEAFLET"
install -D -m 644 "$tmp/leaflet/package/dist/leaflet.js" "$dest/leaflet/leaflet.js"
install -D -m 644 "$tmp/leaflet/package/dist/leaflet.js.map" "$dest/leaflet/leaflet.js.map"
install -D -m 644 "$tmp/leaflet/package/dist/leaflet.css" "$dest/leaflet/leaflet.css"
install -D -m 644 "$tmp/leaflet/package/LICENSE" "$dest/leaflet/LICENSE"
for img in "$tmp"/leaflet/package/dist/images/*.png; do
  install -D -m 644 "$img" "$dest/leaflet/images/$(basename "$img")"
done
cat > "$dest/VERSIONS.txt" <<TXT
@digigov/css $DIGIGOV_CSS  BSD-2-Clause  dist/digigov.css  (licence: digigov/LICENSE)
htmx.org     $HTMX    0BSD          dist/htmx.min.js   (licence: htmx/LICENSE)
leaflet      $LEAFLET   BSD-2-Clause  dist/leaflet.{js,css}, images (licence: leaflet/LICENSE)
TXT
echo "Vendored assets refreshed in $dest"
