#!/usr/bin/env bash
# Re-takes the pictures of the example's HTML report shown in the README and docs/reports.md:
# docs/report.png (desktop, English), docs/report-phone.png (390 px wide, French) and
# docs/report-print.png (the first A4 page of a print to PDF), and prints the PDF's page count
# (at most 6). Needs Debian's `chromium` and `poppler-utils` packages.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --quiet --release -- report --config examples/saas/kpi.toml --output "$out/report.html"
cargo run --quiet --release -- report --config examples/saas/kpi.toml --locale fr --output "$out/rapport.html"
chrome() {
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$out")" --hide-scrollbars "$@"
}
chrome --window-size=1100,1600 --screenshot=docs/report.png "file://$out/report.html"
chrome --window-size=390,1500 --screenshot=docs/report-phone.png "file://$out/rapport.html"
chrome --no-pdf-header-footer --print-to-pdf="$out/report.pdf" "file://$out/report.html"
pdfinfo "$out/report.pdf" | grep -E '^(Pages|Page size)'
pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$out/report.pdf" docs/report-print
