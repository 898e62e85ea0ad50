#!/usr/bin/env bash
# Prints one closing line "LABEL: N passed, N failed[, N skipped]" from JUnit XML reports, so a
# quiet Maven run (-q, which hides Surefire's own summary) still says what it ran.
# Usage: scripts/test-summary.sh LABEL REPORTS_DIR_OR_FILE
set -euo pipefail
label="$1"; reports="$2"
python3 - "$label" "$reports" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

label, reports = sys.argv[1], sys.argv[2]
files = [reports] if os.path.isfile(reports) else sorted(glob.glob(os.path.join(reports, "TEST-*.xml")))
tests = failed = skipped = 0
for path in files:
    root = ET.parse(path).getroot()
    for suite in ([root] if root.tag == "testsuite" else root.iter("testsuite")):
        tests += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
if tests == 0:
    print(f"{label}: no tests ran", file=sys.stderr)
    sys.exit(1)
line = f"{label}: {tests - failed - skipped} passed, {failed} failed"
print(line + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed else 0)
PY
