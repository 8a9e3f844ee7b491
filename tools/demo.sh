#!/bin/sh
# demo.sh - what `make demo` runs after building: the seed scenario, then
# where to look.  Usage: demo.sh PATH/TO/rollsim
set -e
bin=${1:-build/rollsim}
echo "rollsim: running the built-in seed scenario (scenarios/seed-rolling.ini)"
echo
"$bin" run -o out/seed-rolling
echo
echo "Open out/seed-rolling/report.html in a browser: the verdict, the plots"
echo "and a replay of the rollout pod by pod.  out/seed-rolling/events.csv has"
echo "every step (try: $bin run --trace)."
echo "Next: docs/tutorial.md (nine questions, a run each), $bin --help,"
echo "docs/user-guide.md"
