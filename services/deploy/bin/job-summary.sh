#!/usr/bin/env bash
# job-summary.sh TITLE FILE: Markdown for GitHub's job summary from a log or report. A
# Markdown report (.md) is copied as it is; a log gives its PASS/FAIL lines and its closing
# "N passed, N failed" line. Missing file: says so (the step before it died early).
set -uo pipefail
title=$1 file=$2
echo "### $title"
if [[ ! -s $file ]]; then echo "_no output ($file missing: the job stopped before it)_"; exit 0; fi
if [[ $file == *.md ]]; then cat "$file"; exit 0; fi
echo '```'
grep -E '^(FAIL|ok |PASS)|^[0-9]+ passed, [0-9]+ failed' "$file" | grep -v '^ok ' | tail -n 60
echo '```'
