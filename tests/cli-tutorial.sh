#!/bin/sh
# cli-tutorial.sh - every number docs/tutorial.md quotes, against fresh
# runs (TAP, run by prove).  The tutorial's source holds the runs and the
# checks as HTML comments beside the prose that quotes them:
#
#   <!-- run NAME: COMMAND ARGS... -->          rollsim COMMAND ARGS, into NAME
#   <!-- check NAME summary COLUMN = TEXT -->   summary.csv's cell, exactly
#   <!-- check NAME summary COLUMN in LO..HI --> the cell, a number in range
#   <!-- check NAME event TIME KIND OBJECT [VALUE] -->  a row of events.csv
#   <!-- check NAME versions TIME VERSION COLUMN (= TEXT | in LO..HI) -->
#   <!-- check NAME trace TEXT -->              trace.txt holds TEXT
#   <!-- check NAME compare VARIANT COLUMN (= TEXT | in LO..HI) -->
. "$(dirname "$0")/cli-lib.sh"

doc="$src/docs/tutorial.md"
# cell FILE KEYCOL KEY COLUMN: the cell of COLUMN in the row whose
# KEYCOL is KEY (KEYCOL empty: the first row).  Plain CSV, no quotes.
cell () {
    awk -F, -v kc="$2" -v key="$3" -v col="$4" '
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        (kc == "" || $(c[kc]) == key) && !done { print $(c[col]); done = 1 }' "$1"
}
# judge VALUE OP EXPECTED: = compares text, in LO..HI numbers.
judge () {
    case $2 in
    =) [ "$1" = "$3" ] ;;
    in) awk -v v="$1" -v r="$3" 'BEGIN { split(r, b, /\.\./)
            exit !(v != "" && v + 0 >= b[1] + 0 && v + 0 <= b[2] + 0) }' ;;
    *) false ;;
    esac
}

runs=0
sed -n 's/^<!-- run \([^:]*\): \(.*\) -->$/\1 \2/p' "$doc" > "$tmp/runs"
while read -r name cmd args; do
    (cd "$src" && "$bin" $cmd $args -q --no-plots --no-report -o "$tmp/$name") \
        >/dev/null 2>"$tmp/$name.err"
    ok $? "tutorial run $name: rollsim $cmd $args"
    runs=$((runs + 1))
done < "$tmp/runs"
[ "$runs" -ge 9 ]
ok $? "the tutorial has its runs ($runs)"

sed -n 's/^<!-- check \(.*\) -->$/\1/p' "$doc" > "$tmp/checks"
[ "$(wc -l < "$tmp/checks")" -ge 40 ]
ok $? "the tutorial has its checks ($(wc -l < "$tmp/checks"))"
while read -r name what rest; do
    d="$tmp/$name"
    case $what in
    summary)
        set -- $rest
        got=$(cell "$d/summary.csv" "" "" "$1")
        judge "$got" "$2" "$3"
        ok $? "$name: summary $rest (got $got)" ;;
    versions)
        set -- $rest
        got=$(awk -F, -v t="$1" -v v="$2" -v col="$3" '
            NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
            $1 == t && $2 == v { print $(c[col]) }' "$d/versions.csv")
        judge "$got" "$4" "$5"
        ok $? "$name: versions.csv at $1, $2 $3 $4 $5 (got $got)" ;;
    event)
        set -- $rest
        awk -F, -v t="$1" -v k="$2" -v o="$3" -v v="${4:-}" '
            $1 == t && $2 == k && $3 == o && (v == "" || $5 == v) { f = 1 }
            END { exit !f }' "$d/events.csv"
        ok $? "$name: events.csv has $rest" ;;
    trace)
        grep -qF -- "$rest" "$d/trace.txt"
        ok $? "$name: trace.txt says \"$rest\"" ;;
    compare)
        set -- $rest
        got=$(cell "$d/compare.csv" variant "$1" "$2")
        judge "$got" "$3" "$4"
        ok $? "$name: compare $rest (got $got)" ;;
    *)
        ok 1 "unknown check: $name $what $rest" ;;
    esac
done < "$tmp/checks"

# Every scenario of the tutorial is one of its lessons.
for f in "$src"/scenarios/tutorial/*.ini; do
    grep -q "scenarios/tutorial/$(basename "$f")" "$doc"
    ok $? "docs/tutorial.md uses scenarios/tutorial/$(basename "$f")"
done

done_testing
