#!/bin/sh
# cli-report.sh - report.html (TAP, run by prove): written by run,
# compare and sweep unless --no-report, drawn again by `rollsim report
# DIR`; deterministic and free of absolute paths; every cell escaped;
# never read or written through a symbolic link.  Its behaviour in a
# browser is cli-browser.sh's.
. "$(dirname "$0")/cli-lib.sh"

"$bin" run -q --no-plots -o "$tmp/a" && [ -s "$tmp/a/report.html" ]
ok $? "a run writes report.html, --no-plots too"
"$bin" run -q --no-plots --no-report -o "$tmp/n" && [ ! -e "$tmp/n/report.html" ]
ok $? "--no-report writes none"
grep -q "$tmp" "$tmp/a/report.html"
[ $? -ne 0 ]
ok $? "no absolute path in the page"
"$bin" run -q -o "$tmp/p1" && "$bin" run -q -o "$tmp/p2" \
    && cmp -s "$tmp/p1/report.html" "$tmp/p2/report.html"
ok $? "the same run gives the same page, plots included"
cp "$tmp/p1/report.html" "$tmp/first.html"
"$bin" report "$tmp/p1" >/dev/null && cmp -s "$tmp/first.html" "$tmp/p1/report.html"
ok $? "rollsim report DIR draws the same page again"
grep -q 'data:image/svg+xml;base64,' "$tmp/p1/report.html" \
    && [ "$(grep -c '<figure data-plot=' "$tmp/p1/report.html")" -eq 5 ]
ok $? "the five plots of a rollout are in the page as SVG"
grep -q '<script src\|<link \|http://\|https://' "$tmp/p1/report.html"
[ $? -ne 0 ]
ok $? "nothing in the page points elsewhere"

# Markup in a description and in events.csv is escaped.
"$bin" run -q --no-plots -o "$tmp/e" \
    --set 'scenario.description=<script>alert(1)</script> & "x"' || exit 1
grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;' "$tmp/e/report.html" \
    && ! grep -q '<script>alert' "$tmp/e/report.html"
ok $? "a description with markup is escaped"
awk -F, -v OFS=, 'NR == 5 { $6 = "</script><script>alert(2)</script>" } { print }' \
    "$tmp/e/events.csv" > "$tmp/x" && mv "$tmp/x" "$tmp/e/events.csv"
"$bin" report --no-plots "$tmp/e" >/dev/null \
    && grep -q '\\u003c/script\\u003e\\u003cscript\\u003ealert(2)' "$tmp/e/report.html" \
    && ! grep -q 'alert(2)</script>' "$tmp/e/report.html"
ok $? "a cell of events.csv with markup is an escaped JSON string"

# Links: report.html replaced, not followed; a linked plot not read.
echo precious > "$tmp/victim"
echo secret-text > "$tmp/secret.svg"
ln -sf "$tmp/victim" "$tmp/a/report.html"
mkdir -p "$tmp/a/plots" && ln -s "$tmp/secret.svg" "$tmp/a/plots/pods.svg"
"$bin" report --no-plots "$tmp/a" >/dev/null \
    && [ "$(cat "$tmp/victim")" = precious ] && [ ! -L "$tmp/a/report.html" ] \
    && ! grep -q "$(printf secret-text | base64)" "$tmp/a/report.html"
ok $? "a link named report.html is replaced, a linked plot is not read"

# compare and sweep.
"$bin" compare -q --no-plots --reps 2 --strategy rolling,recreate -o "$tmp/c" \
    && grep -q '<h1>rollsim compare</h1>' "$tmp/c/report.html"
ok $? "compare writes report.html"
"$bin" sweep -q --no-plots --reps 2 --vary deployment.pre_stop=0s,2s -o "$tmp/s" \
    && grep -q '<th>deployment.pre_stop</th>' "$tmp/s/report.html"
ok $? "sweep writes report.html, with its keys"
"$bin" compare -q --no-plots --no-report --reps 2 --strategy rolling,recreate -o "$tmp/c2" \
    && [ ! -e "$tmp/c2/report.html" ]
ok $? "compare --no-report writes none"

mkdir "$tmp/empty"
"$bin" report "$tmp/empty" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'not the directory of a run, compare or sweep' "$tmp/err"
ok $? "report of a directory that is nothing of rollsim's: exit 2"
"$bin" report "$tmp/nowhere" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'no such directory' "$tmp/err"
ok $? "report of a missing directory: exit 2"

# A page holds the first 200,000 rows of events.csv; the replay says so
# when there are more (the board stands still after them).
"$bin" run -q --no-plots --no-report -o "$tmp/many" || exit 1
awk -F, 'NR == 1 { print; next } NR == 2 { r = $0; print }
    END { split(r, x, ","); for (i = 0; i < 200100; i++) {
        x[1] = sprintf("%.3f", 120 + i / 1000); s = x[1]
        for (k = 2; k <= length(x); k++) s = s "," x[k]; print s } }' \
    "$tmp/many/events.csv" > "$tmp/many/e2" && mv "$tmp/many/e2" "$tmp/many/events.csv"
n_rows=$(($(wc -l < "$tmp/many/events.csv") - 1))
"$bin" report "$tmp/many" >/dev/null \
    && grep -q "This page holds the first 200000 of the $n_rows rows of events.csv: after the last of them the board stops changing" "$tmp/many/report.html"
ok $? "more than 200,000 events: the replay says where it stops ($n_rows rows)"
"$bin" report "$tmp/p1" >/dev/null && ! grep -q 'This page holds the first' "$tmp/p1/report.html"
ok $? "...and says nothing when it holds them all"

done_testing
