#!/bin/sh
# update-golden.sh - refresh tests/data/golden/seed-rolling/ after a
# deliberate change of the model's behaviour.  Review the diff before
# committing it: golden files exist to catch changes nobody meant.
set -e
bin=${1:-build/rollsim}
out=tests/data/golden/seed-rolling
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" run -q --no-plots -o "$tmp/run"
mkdir -p "$out"
for f in summary.csv events.csv timeseries.csv versions.csv; do
    cp "$tmp/run/$f" "$out/$f"
done
git diff --stat -- "$out" || true
