#!/usr/bin/env bash
# Re-takes the pictures of the example's HTML report shown in the README and docs/reports.md:
# docs/report.png (desktop, English), docs/report-phone.png (390 px wide, French) and
# docs/report-print.png (the first A4 page of a print to PDF), and prints the PDF's page count
# (at most 6), then checks that the desktop tables fit 1024 and 1280 px wide without a
# horizontal scroll bar in both languages (a copy of each page with a script that measures
# them; the report itself has none), and takes docs/email-gmail.png (the email's HTML part as
# Gmail shows it). Needs Debian's `chromium` and `poppler-utils` packages, and python3.
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
# Each `.table` (the scroll container of a section's table) must be no wider than its box.
for page in report rapport; do
  sed 's#</body>#<script>var w=[];document.querySelectorAll(".table").forEach(function(t){if(t.scrollWidth>t.clientWidth)w.push(t.scrollWidth+">"+t.clientWidth)});document.body.insertAdjacentHTML("beforeend","<pre id=fit>"+(w.join(" ")||"fits")+"</pre>");</script></body>#' \
    "$out/$page.html" >"$out/$page-fit.html"
  for width in 1024 1280; do
    fit=$(chrome --window-size=$width,900 --dump-dom "file://$out/$page-fit.html" | sed -n 's|.*<pre id="fit">\([^<]*\)</pre>.*|\1|p')
    echo "$page.html at $width px: $fit"
    [[ "$fit" == fits ]] || { echo "error: a table of $page.html overflows at $width px" >&2; exit 1; }
  done
done
# docs/email-gmail.png: the example's email as Gmail shows it. The HTML part is read back
# from the message with Python's MIME parser, its `cid:` images replaced by their files, and
# any <style> or <svg> removed, as Gmail removes them.
cargo run --quiet --release -- report --config examples/saas/kpi.toml --output "$out/report.eml"
python3 tests/mail/inspect.py "$out/report.eml" --extract "$out/mail" >/dev/null
python3 - "$out/mail/email.html" <<'PY'
import re, sys
path = sys.argv[1]
html = open(path, encoding="utf-8").read()
html = re.sub(r"<style.*?</style>|<svg.*?</svg>", "", html, flags=re.S)
open(path, "w", encoding="utf-8").write(html)
PY
chrome --window-size=680,2200 --screenshot=docs/email-gmail.png "file://$out/mail/email.html"
