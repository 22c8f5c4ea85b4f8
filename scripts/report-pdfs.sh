#!/usr/bin/env bash
# Writes samples/reports/*.pdf from samples/reports/*.txt: each line a paragraph of an HTML
# page, printed by headless Chromium (Debian: apt-get install chromium fonts-noto-cjk).
# Chromium's PDFs are the hard case for text extraction (Kangxi radicals, spaces).
set -euo pipefail
cd "$(dirname "$0")/../samples/reports"
chromium=$(command -v chromium || command -v chromium-browser)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for txt in *.txt; do
  name=${txt%.txt}
  {
    echo '<!doctype html><meta charset="utf-8"><style>body{font-family:"Noto Serif CJK SC","Noto Sans CJK SC",serif;font-size:12pt;line-height:1.6}p{margin:0 0 .4em;text-indent:2em}</style>'
    sed -e 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' -e 's/^\s*$//' "$txt" | awk 'NF { print "<p>" $0 "</p>" }'
  } > "$tmp/$name.html"
  "$chromium" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$PWD/$name.pdf" "file://$tmp/$name.html" 2>/dev/null
done
ls -l ./*.pdf
# A page with a picture and no text layer, as a scan is: reading it must be a problem.
mkdir -p ../../tests/fixtures/prose
echo '<!doctype html><svg width="600" height="800"><rect x="40" y="40" width="500" height="700" fill="#ddd"/></svg>' > "$tmp/scanned.html"
"$chromium" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
  --print-to-pdf="$PWD/../../tests/fixtures/prose/scanned.pdf" "file://$tmp/scanned.html" 2>/dev/null
