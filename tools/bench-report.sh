#!/bin/sh
# bench-report.sh - part of `make bench`: what plots and report.html
# cost.  Figures, never pass/fail.
#
#  - Plots: `rollsim plot` of the seed scenario run for 1 hour and for
#    7 days at a 1 s sample (604,800 rows per CSV file): CPU seconds
#    (rollsim and gnuplot, best of 5) and peak memory of rollsim, as
#    ratios (issue 16: at most 2x the time, memory flat).
#  - report.html of a 1-hour run with 1,000 pods: its size, and the time
#    headless Chromium takes to open it and to move the replay (when
#    chromium, chromedriver and python3-selenium are there).
set -e
bin=${1:-build/rollsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "rollsim bench: plots and report.html"
"$bin" run -q --no-plots --no-report -o "$tmp/h1" \
    --set scenario.duration=1h --set rollout.at=30m
"$bin" run -q --no-plots --no-report -o "$tmp/d7" \
    --set scenario.duration=168h --set rollout.at=84h
# Best CPU and wall seconds of 5 and peak KiB of each, the two runs
# interleaved (a shared machine's speed drifts), after one of each.
"$bin" plot "$tmp/h1" >/dev/null || exit 1
"$bin" plot "$tmp/d7" >/dev/null || exit 1
for i in 1 2 3 4 5; do
    for d in h1 d7; do
        /usr/bin/time -f "$d %U %S %e %M" "$bin" plot "$tmp/$d" 2>&1 >/dev/null | tail -1
    done
done > "$tmp/plot-cost"
cost () {               # cost NAME: best CPU, best wall, peak KiB
    awk -v d="$1" '$1 == d { c = $2 + $3; if (best == "" || c < best) best = c
                             if (wall == "" || $4 < wall) wall = $4; m = $5 }
                   END { printf "%.2f %.2f %d\n", best, wall, m }' "$tmp/plot-cost"
}
set -- $(cost h1)
h_cpu=$1 h_wall=$2 h_mem=$3
set -- $(cost d7)
d_cpu=$1 d_wall=$2 d_mem=$3
echo "  plot 1 h  ($(($(wc -l < "$tmp/h1/timeseries.csv") - 1)) samples): ${h_cpu} s CPU, ${h_wall} s wall, ${h_mem} KiB"
echo "  plot 7 d  ($(($(wc -l < "$tmp/d7/timeseries.csv") - 1)) samples): ${d_cpu} s CPU, ${d_wall} s wall, ${d_mem} KiB"
awk -v a="$h_cpu" -v b="$d_cpu" -v w="$h_wall" -v x="$d_wall" -v m="$h_mem" -v n="$d_mem" \
    'BEGIN { printf "  7 d / 1 h: %.2fx the CPU, %.2fx the wall time (target <= 2x; the two CSV files are read on two cores), %.2fx the memory\n", b / a, x / w, n / m }'

"$bin" run -q -o "$tmp/big" scenarios/bench.ini \
    --set deployment.replicas=1000 --set deployment.cpu=100m \
    --set cluster.nodes=20 --set scenario.duration=1h \
    --set rollout.at=30m --set scenario.sample=1s
echo "  report.html, 1 h, 1,000 pods ($(($(wc -l < "$tmp/big/events.csv") - 1)) events): $(($(wc -c < "$tmp/big/report.html") / 1024)) KiB"
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
    && /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
    /usr/bin/python3 - "$tmp/big/report.html" "$tmp/profile" <<'PY'
import sys, time
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
o = webdriver.ChromeOptions()
o.binary_location = "/usr/bin/chromium"
for f in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--user-data-dir=" + sys.argv[2]):
    o.add_argument(f)
d = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=o)
best = None
for i in range(3):
    d.get("about:blank")
    t0 = time.time()
    d.get("file://" + sys.argv[1] + "#t=1800.5")
    d.execute_script("return document.getElementById('clock').textContent")
    t = time.time() - t0
    best = t if best is None else min(best, t)
seek = d.execute_script("""
    var t0 = performance.now();
    for (var t = 0; t <= 3600; t += 90) window.rollsimReplay.seek(t, true);
    window.rollsimReplay.seek(1800, true);
    return (performance.now() - t0) / 42;""")
pods = d.execute_script("return document.querySelectorAll('#board .pod[data-pod]').length")
print("  report.html opens in %.2f s (best of 3, to a replay at t=1800.5); a jump"
      " of the replay takes %.1f ms; %d pods on the board" % (best, seek, pods))
d.quit()
PY
else
    echo "  (no chromium, chromedriver or python3-selenium: open time not measured)"
fi
