#!/bin/sh
# demo.sh - what `make demo` runs after building: the seed scenario, then
# where to look.  Usage: demo.sh PATH/TO/rollsim
set -e
bin=${1:-build/rollsim}
echo "rollsim: running the built-in seed scenario (scenarios/seed-rolling.ini)"
echo
"$bin" run -o out/seed-rolling
echo
echo "Open out/seed-rolling/plots/pods.png for the picture of the rollout;"
echo "out/seed-rolling/events.csv has every step (try: $bin run --trace)."
echo "Next: $bin run scenarios/<file>.ini, $bin --help, docs/user-guide.md"
