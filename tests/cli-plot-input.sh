#!/bin/sh
# cli-plot-input.sh - `rollsim plot DIR` trusts nothing in DIR (TAP, run
# by prove): a cell that is not what a run writes is refused with exit 2
# naming FILE:LINE and never reaches gnuplot; nothing is written through
# a symbolic link; a header-only, empty or truncated CSV is an error, not
# a crash (docs/user-guide.md, "Redrawing plots").
. "$(dirname "$0")/cli-lib.sh"

"$bin" run -q --no-plots -o "$tmp/run" || exit 1
fresh () {              # fresh NAME: a copy of the run, without plots
    rm -rf "$tmp/$1" && cp -r "$tmp/run" "$tmp/$1"
}
# set_cell FILE LINE COLUMN VALUE: replace one field with VALUE, quoted
# as CSV (the seed run's files have no quoted field to split wrongly).
set_cell () {
    awk -F, -v OFS=, -v l="$2" -v c="$3" -v v="$4" \
        'NR == l { gsub(/"/, "\"\"", v); $c = "\"" v "\"" } { print }' \
        "$1" > "$1.new" && mv "$1.new" "$1"
}
refused () {            # refused DIR WHAT PATTERN DESCRIPTION
    "$bin" plot "$tmp/$1" >/dev/null 2>"$tmp/err"
    status=$?
    [ $status -eq 2 ] && grep -q -- "$3" "$tmp/err" && [ ! -e "$tmp/pwned" ] \
        && [ ! -e "$tmp/$1/plots/meta.gp" ]
    ok $? "$4 ($2): exit 2, $(head -c 120 "$tmp/err")"
}

# F4: gnuplot code in a cell.
inject='1; system("touch '"$tmp"'/pwned")'
fresh a; set_cell "$tmp/a/versions.csv" 243 1 "$inject"
refused a versions.csv 'versions.csv:243: time_s' "code in the last time_s cell"
fresh b; set_cell "$tmp/b/timeseries.csv" 5 14 "$inject"
refused b timeseries.csv 'timeseries.csv:5: p99_ms' "code in a latency cell"
fresh c; set_cell "$tmp/c/versions.csv" 2 4 '3 ; system("id")'
refused c versions.csv 'versions.csv:2: pods' "code in a pod count"
fresh d; set_cell "$tmp/d/versions.csv" 2 2 'hello1" 1; system("id"); "'
refused d versions.csv 'not a version name' "a version name with a quote"
fresh e
awk -F, -v OFS=, 'NR > 1 && $2 == "rollout-started" { print $1, "weight-set", "router", "hello2", "\"1e1; system(\"\"id\"\")\"", "" } { print }' \
    "$tmp/e/events.csv" > "$tmp/e/x" && mv "$tmp/e/x" "$tmp/e/events.csv"
refused e events.csv 'events.csv:[0-9]*: value' "code in a weight"
for bad in nan inf -1 0x10 1e400 ' 5' 2.5 ''; do
    fresh f; set_cell "$tmp/f/versions.csv" 3 7 "$bad"
    refused f "ready = '$bad'" 'versions.csv:3: ready' "a count that is not one"
done

# F6: header-only, empty, truncated.
for f in versions.csv timeseries.csv; do
    fresh g; head -1 "$tmp/g/$f" > "$tmp/g/x" && mv "$tmp/g/x" "$tmp/g/$f"
    refused g "$f" "$f: no rows" "a header-only $f"
    fresh g; : > "$tmp/g/$f"
    refused g "$f" "$f: empty file" "an empty $f"
    fresh g; head -c 2000 "$tmp/run/$f" > "$tmp/g/$f"
    refused g "$f" "$f" "$f cut short in a row"
done
fresh h; head -c 100 "$tmp/run/versions.csv" > "$tmp/h/versions.csv"
refused h versions.csv 'versions.csv' "versions.csv cut inside its first row"
fresh h; sed '$d' "$tmp/run/versions.csv" > "$tmp/h/versions.csv"
refused h versions.csv 'the last time has 1 of the 2 versions' \
    "versions.csv with a version missing at the last time"
fresh h; head -c 1 "$tmp/run/events.csv" > "$tmp/h/events.csv"
refused h events.csv 'events.csv' "events.csv cut in its header"
fresh h; printf '"time_s,kind\n' > "$tmp/h/events.csv"
refused h events.csv 'not valid CSV' "an unclosed quote"

# Not a run at all.
"$bin" plot "$tmp/no-such" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'no such directory' "$tmp/err"
ok $? "plot of a missing directory says so"
"$bin" plot "$tmp/run/summary.csv" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'not a directory' "$tmp/err"
ok $? "plot of a file says it is not a directory"

if command -v gnuplot >/dev/null 2>&1; then
    # F5: links in DIR/plots are replaced, never followed.
    fresh s; mkdir "$tmp/s/plots"
    echo precious > "$tmp/victim"
    for f in pods.dat share.dat meta.gp pods.png errors.dat marks.dat; do
        ln -s "$tmp/victim" "$tmp/s/plots/$f"
    done
    "$bin" plot "$tmp/s" >/dev/null 2>&1
    [ $? -eq 0 ] && [ "$(cat "$tmp/victim")" = precious ] \
        && [ ! -L "$tmp/s/plots/pods.dat" ] && [ -s "$tmp/s/plots/pods.png" ]
    ok $? "links in plots/ are replaced, their targets untouched"
    fresh t; mkdir "$tmp/elsewhere"; ln -s "$tmp/elsewhere" "$tmp/t/plots"
    "$bin" plot "$tmp/t" >/dev/null 2>"$tmp/err"
    [ $? -eq 2 ] && [ -z "$(ls -A "$tmp/elsewhere")" ] \
        && grep -q 'symbolic link' "$tmp/err"
    ok $? "plots/ as a link: exit 2, nothing written in its target"
    [ -z "$(ls -A "$tmp/s/plots" | grep '^\.work')" ]
    ok $? "no work directory left in plots/"

    # Scripts: a restyled one is kept, one for older data files replaced.
    fresh u; "$bin" plot "$tmp/u" >/dev/null || exit 1
    sed -i "s/'Pods per version'/'Restyled'/" "$tmp/u/plots/pods.gp"
    printf "set output 'traffic.png'\nplot '../timeseries.csv' using 1:2\n" \
        > "$tmp/u/plots/traffic.gp"
    "$bin" plot "$tmp/u" >/dev/null 2>"$tmp/err"
    [ $? -eq 0 ] && grep -q Restyled "$tmp/u/plots/pods.gp" \
        && grep -q 'rollsim plot format' "$tmp/u/plots/traffic.gp" \
        && [ -s "$tmp/u/plots/traffic.gp.old" ] \
        && grep -q 'traffic.gp was written for older data files' "$tmp/err"
    ok $? "a restyled script is kept, an older one replaced (kept as .old)"
else
    n=$((n + 1)); echo "ok $n # SKIP gnuplot is not installed"
fi

done_testing
