#!/bin/sh
# cli-plots.sh - plots (TAP, run by prove): a run draws them with
# gnuplot, `rollsim plot` redraws them, and without gnuplot a run fails
# cleanly unless --no-plots.
. "$(dirname "$0")/cli-lib.sh"

if command -v gnuplot >/dev/null 2>&1; then
    "$bin" run -q -o "$tmp/p"
    ok $? "run draws plots"
    for p in pods traffic errors latency; do
        [ -s "$tmp/p/plots/$p.png" ] && [ -s "$tmp/p/plots/$p.gp" ]
        ok $? "plots/$p.png and its script are there"
    done
    rm "$tmp/p/plots/pods.png"
    "$bin" plot "$tmp/p" >/dev/null && [ -s "$tmp/p/plots/pods.png" ]
    ok $? "rollsim plot redraws"

    # Changes are drawn at the time of their event, not a step later: the
    # first new pod is created at the rollout's start (10 s), at 1 s and
    # at 5 s sample steps; the last old pod goes at its end (29 s).
    for sample in 1s 5s; do
        "$bin" run -q --set scenario.sample=$sample -o "$tmp/s$sample" || exit 1
        first=$(awk 'NR > 1 && $5 > 0 { print $1; exit }' \
                "$tmp/s$sample/plots/pods.dat")
        [ "$first" = 10.000000 ]
        ok $? "sample $sample: the first hello2 pod is drawn at 10 s (got $first)"
    done
    gone=$(awk 'NR > 1 && $2 == 0 { print $1; exit }' "$tmp/s1s/plots/pods.dat")
    [ "$gone" = 29.000000 ]
    ok $? "the last hello1 pod is drawn gone at 29 s (got $gone)"
    last=$(tail -1 "$tmp/s1s/plots/pods.dat" | cut -d' ' -f1)
    [ "$last" = 120.000000 ]
    ok $? "the last step is drawn to the end of the run (got $last)"

    # Pending pods are drawn; the grey line says what it counts.
    "$bin" run -q "$src/scenarios/bluegreen-small-cluster.ini" -o "$tmp/bs" \
        || exit 1
    head -1 "$tmp/bs/plots/pods.dat" | grep -q '"hello2 pending"' \
        && head -1 "$tmp/bs/plots/pods.dat" \
            | grep -q 'all pods (pending and terminating included)' \
        && awk 'NR > 1 && $7 == 3 { found = 1 } END { exit !found }' \
            "$tmp/bs/plots/pods.dat"
    ok $? "pods.dat has each version's pending pods (hello2: 3 pending)"

    # A service time of 0 ms has percentiles of 0, which a log scale
    # cannot draw: the latency plot is linear then, and the run succeeds.
    "$bin" run -q -o "$tmp/z0" --set "version.hello1.service=const(0s)" \
        --set "version.hello2.service=const(0s)" \
        && [ -s "$tmp/z0/plots/latency.png" ] \
        && grep -q '^latency_log = 0$' "$tmp/z0/plots/meta.gp" \
        && grep -q '^latency_log = 1$' "$tmp/p/plots/meta.gp"
    ok $? "latencies of 0 ms are drawn on a linear scale, others on a log scale"

    # The scaling plot's axes end at the largest replica count (desired
    # or the HPA's) and node count of the run, not at another number.
    "$bin" run -q "$src/scenarios/autoscaling-rolling-burst.ini" -o "$tmp/rb" \
        || exit 1
    want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        { r = $c["desired"] + 0; h = $c["hpa_desired"] + 0; n = $c["nodes"] + 0
          if (r > top) top = r; if (h > top) top = h; if (n > nt) nt = n }
        END { printf "scaling_top = %.6f nodes_top = %.6f", top, nt }' \
        "$tmp/rb/timeseries.csv")
    got=$(grep -E '^(scaling_top|nodes_top) = ' "$tmp/rb/plots/meta.gp" | tr '\n' ' ')
    [ "$got" = "$want " ]
    ok $? "scaling.png's axes end at the run's largest counts ($want; got $got)"

    # Milestones name the Service that switched and where it points.
    "$bin" run -q "$src/scenarios/bluegreen-bad.ini" -o "$tmp/bb" || exit 1
    grep -q '^17.600000 "active -> hello2"$' "$tmp/bb/plots/marks.dat" \
        && grep -q 'analysis failed, aborted, active -> hello1"' "$tmp/bb/plots/marks.dat"
    ok $? "marks say which Service switched to which version"

    # A long run is drawn from min and max per pixel column: a spike of
    # one sample survives in the plot data, the data stay small, and
    # rollsim's memory does not grow with the CSV files (issue 16).
    long_dir () {           # long_dir DIR ROWS: the seed run, ROWS seconds
        rm -rf "$1" && mkdir "$1" && cp "$tmp/p/events.csv" "$tmp/p/summary.csv" "$1/"
        awk -v n="$2" 'NR == 1 { print; next } NR == 2 { a = $0; next }
            NR == 3 { b = $0 } END {
            split(a, x, ","); split(b, y, ",");
            for (i = 0; i < n; i++) {
                x[1] = i ".000"; y[1] = i ".000"
                s = x[1]; for (k = 2; k <= length(x); k++) s = s "," x[k]; print s
                s = y[1]; for (k = 2; k <= length(y); k++) s = s "," y[k]; print s
            } }' "$tmp/p/versions.csv" > "$1/versions.csv"
        awk -F, -v OFS=, -v n="$2" 'NR == 1 { print; next } NR == 3 { r = $0 }
            END { split(r, x, ",");
            for (i = 0; i < n; i++) { x[1] = i ".000"; x[7] = (i == 54321 ? 7 : 0)
                s = x[1]; for (k = 2; k <= length(x); k++) s = s "," x[k]; print s } }' \
            "$tmp/p/timeseries.csv" > "$1/timeseries.csv"
    }
    long_dir "$tmp/long" 60000
    long_dir "$tmp/longer" 120000
    "$bin" plot "$tmp/long" >/dev/null
    ok $? "a run of 60000 samples is plotted"
    awk 'NR > 1 && $4 == 7 { found = 1 } END { exit !found }' "$tmp/long/plots/errors.dat" \
        && [ "$(wc -l < "$tmp/long/plots/errors.dat")" -le 4002 ] \
        && grep -q '^downsampled = 1' "$tmp/long/plots/meta.gp"
    ok $? "the one-sample spike of 7 refused requests survives in errors.dat, in at most 4001 rows"
    if [ -x /usr/bin/time ]; then
        m1=$(/usr/bin/time -f %M "$bin" plot "$tmp/long" 2>&1 >/dev/null | tail -1)
        m2=$(/usr/bin/time -f %M "$bin" plot "$tmp/longer" 2>&1 >/dev/null | tail -1)
        [ "$m2" -le $((m1 * 12 / 10 + 2048)) ]
        ok $? "rollsim plot's memory is flat in the CSV's length ($m1 KiB, twice the rows $m2 KiB)"
    else
        n=$((n + 1)); echo "ok $n # SKIP /usr/bin/time is not installed (make deps installs it)"
    fi
else
    n=$((n + 1)); echo "ok $n # SKIP gnuplot is not installed"
fi
mkdir "$tmp/not-a-run"
"$bin" plot "$tmp/not-a-run" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'not the directory of a run' "$tmp/err"
ok $? "plot of a directory that is not a run exits 2 and says so"
PATH=/nonexistent "$bin" run -q -o "$tmp/nognuplot" 2>"$tmp/err"
[ $? -eq 1 ] && [ ! -e "$tmp/nognuplot" ] && grep -q 'gnuplot' "$tmp/err"
ok $? "no gnuplot: exit 1, a message naming it, nothing written"
PATH=/nonexistent "$bin" run -q --no-plots -o "$tmp/noplots"
ok $? "--no-plots runs without gnuplot"

done_testing
