#!/usr/bin/env bash
# Re-takes docs/report.png, the screenshot of the example's HTML report shown in the README.
# Needs Debian's `chromium` package (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --quiet --release -- report --config examples/saas/kpi.toml --output "$out/report.html"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$out/profile" --hide-scrollbars --window-size=1100,1600 \
  --screenshot=docs/report.png "file://$out/report.html"
