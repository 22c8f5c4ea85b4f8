#!/usr/bin/env bash
# Validates hecha's SARIF output with the SARIF Multitool (npm @microsoft/sarif-multitool)
# under its SARIF and GitHub rule sets: the run fails on any error or warning the tool
# reports. Notes (advice such as "use message ids instead of text") are listed, not fatal.
# The tool is installed into <target>/tools when missing. CI runs this script.
set -euo pipefail
cd "$(dirname "$0")/.."
# Cargo's target folder, wherever CARGO_TARGET_DIR puts it (the binary is built there).
target=${CARGO_TARGET_DIR:-target}
tools=$target/tools
mt="$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$mt" ]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --silent @microsoft/sarif-multitool@5.7.0 >/dev/null
fi
hecha=$target/debug/hecha
[ -x "$hecha" ] || cargo build --locked --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Failed, explained, info findings, an unreadable file, a malformed one; then a reviewer's
# decision and a baseline.
"$hecha" check --format sarif samples tests/fixtures/data tests/fixtures/data/missing.yaml \
  >"$out/samples.sarif" || true
HECHA_DOCS_URL=https://example.org/hecha/docs/ "$hecha" check --format sarif samples \
  >"$out/docs.sarif" || true
status=0
for log in "$out"/*.sarif; do
  # The multitool prints `file(line,col): level RULE: text` for each result.
  report=$("$mt" validate "$log" --rule-kind "Gh;Sarif" --level "Error;Warning;Note" 2>&1 || true)
  if ! grep -q "Analysis completed successfully" <<<"$report"; then
    echo "$report"; echo "sarif-multitool did not complete on $(basename "$log")"; status=1; continue
  fi
  bad=$(grep -E "\): (error|warning) " <<<"$report" || true)
  # SARIF2017 (no region) is expected for a cell of a workbook or a paragraph of a Word or
  # PDF document: such a file has no text lines a viewer could open, so the position is
  # the result's logical location (项目支出!E6, 第 3 段) instead. Allowed only there: every
  # result without a region must be in such a document.
  if grep -q "SARIF2017" <<<"$bad"; then
    python3 - "$log" <<'PY' || status=1
import json, sys
log = json.load(open(sys.argv[1]))
documents = (".xlsx", ".xls", ".ods", ".docx", ".pdf")
for result in log["runs"][0]["results"]:
    for location in result.get("locations", []):
        physical = location.get("physicalLocation", {})
        uri = physical.get("artifactLocation", {}).get("uri", "")
        if "region" not in physical and not uri.lower().endswith(documents):
            sys.exit(f"a result in {uri} has no region")
PY
    bad=$(grep -v "SARIF2017" <<<"$bad" || true)
  fi
  # SARIF2005 (no informationUri) is expected where no docs address is configured.
  if [ "$(basename "$log")" = samples.sarif ]; then
    bad=$(grep -v "SARIF2005" <<<"$bad" || true)
  fi
  notes=$(grep -cE "\): note " <<<"$report" || true)
  if [ -n "$bad" ]; then
    echo "$bad"; echo "$(basename "$log"): errors or warnings above"; status=1
  else
    echo "$(basename "$log"): valid (Gh and Sarif rules: no error, no warning; $notes notes)"
  fi
done
exit $status
