#!/bin/sh
# cli-merge.sh - merge takes nothing on trust (TAP, run by prove): a shard
# whose rows contradict their labels, hold text where numbers belong, or
# were cut short is refused with exit 2 naming FILE:LINE; shards run with
# different rate-profile contents at the same path are refused; an
# experiment.ini that claims absurd counts is refused, not an abort
# (docs/experiments.md, "Beyond one machine").
. "$(dirname "$0")/cli-lib.sh"

cd "$tmp" || exit 1
common="-q --no-plots --reps 4 --strategy rolling,recreate --set scenario.duration=30s"
for k in 1 2 3; do
    "$bin" compare $common --shard $k/3 -o s$k || exit 1
done
"$bin" compare $common -o whole || exit 1
fresh () { rm -rf t1 t2 t3 mo; cp -r s1 t1; cp -r s2 t2; cp -r s3 t3; }
refused () {            # refused PATTERN DESCRIPTION
    "$bin" merge -q --no-plots -o mo t1 t2 t3 2>err
    status=$?
    [ $status -eq 2 ] && grep -q -- "$1" err && [ ! -e mo ]
    ok $? "$2: exit 2, $(head -c 150 err)"
}
col () { head -1 t1/runs.csv | tr , '\n' | grep -nx "$1" | cut -d: -f1; }
set_field () {          # set_field LINE COLUMN VALUE (t1/runs.csv)
    awk -F, -v OFS=, -v l="$1" -v c="$2" -v v="$3" \
        'NR == l { $c = v } { print }' t1/runs.csv > t1/x && mv t1/x t1/runs.csv
}

fresh
"$bin" merge -q --no-plots -o mo t1 t2 t3 && cmp -s mo/runs.csv whole/runs.csv
ok $? "untouched shards merge into the unsharded runs.csv, byte for byte"

# F9 1: two rows swap their labels.
fresh
awk -F, -v OFS=, 'NR == 2 { a = $1; b = $2; $1 = x1; $2 = x2 } NR == 4 { $1 = a; $2 = b } { print }' \
    x1="$(sed -n 4p t1/runs.csv | cut -d, -f1)" x2="$(sed -n 4p t1/runs.csv | cut -d, -f2)" \
    t1/runs.csv > t1/x && mv t1/x t1/runs.csv
refused 'runs.csv:[24]: not the run it says it is' "rows with swapped labels"
# More of the kind: each field that a label implies.
for c in strategy seed scenario scenario_sha256 rollsim_version variant_file; do
    fresh; set_field 2 "$(col $c)" "$(sed -n 3p t1/runs.csv | cut -d, -f"$(col $c)")X"
    refused "runs.csv:2: not the run it says it is.*$c" "a row whose $c is not its run's"
done
fresh; set_field 2 "$(col outcome)" oops
refused 'outcome "oops" is not an outcome' "an outcome that is none"

# F9 2: text where a number belongs.
for v in oops nan inf 0x10 '1;2' ' '; do
    fresh; set_field 2 "$(col errors)" "$v"
    refused "errors \(\".*\" is not a number\|is empty\)" "errors = '$v'"
done

# F9 3: cut short.
for cut in 1 5 40; do
    fresh; s=$(wc -c < t1/runs.csv); head -c $((s - cut)) s1/runs.csv > t1/runs.csv
    refused 't1/runs.csv' "runs.csv cut $cut bytes short"
done

# F10: absurd counts.
fresh
for d in t1 t2 t3; do
    sed -i 's/^replications=4/replications=2000000000/' $d/experiment.ini
done
refused 'experiment.ini' "replications=2000000000"
fresh
for d in t1 t2 t3; do
    sed -i 's/^replications=4/replications=900000/' $d/experiment.ini
done
refused 'more than 1000000 runs' "2 variants x 900000 replications"

# Found by tests/fuzz-csv.c: a value GLib reads with an error (an invalid
# escape) is an error, not a half-read value (before: a GLib warning,
# "GError set over the top of a previous GError").
for k in command label sets; do
    fresh
    for d in t1 t2 t3; do
        sed -i "0,/^$k=/s/^$k=\(.*\)/$k=\1\\\\q/" $d/experiment.ini
    done
    refused 'not a valid experiment.ini' "an invalid escape in $k="
    ! grep -q GLib err
    ok $? "... and no GLib warning"
done

# F8: the profile's content, not its path.
printf '[scenario]\nduration = 1m\n[deployment]\nversion = a\nreplicas = 4\n[version.a]\n[traffic]\nprofile = p.csv\n' > p.ini
printf '0,10\n' > p.csv
"$bin" compare -q --no-plots --reps 4 --shard 1/2 -o p1 p.ini || exit 1
printf '0,500\n' > p.csv
"$bin" compare -q --no-plots --reps 4 --shard 2/2 -o p2 p.ini || exit 1
grep -q '^profile_sha256=' p1/experiment.ini
ok $? "experiment.ini records the profile's content hash"
"$bin" merge -q --no-plots -o pm p1 p2 2>err
[ $? -eq 2 ] && grep -q 'rate profile' err && [ ! -e pm ]
ok $? "shards with different profile contents: exit 2, $(head -c 150 err)"
"$bin" compare -q --no-plots --reps 4 --shard 1/2 -o p1 p.ini || exit 1
printf '0,500\n\n' > p.csv        # the same rows, another text
"$bin" merge -q --no-plots -o pm p1 p2
ok $? "shards with the same profile rows merge"
printf '0,20\n' > p.csv
"$bin" merge -q --no-plots -o pm2 p1 p2 2>err
[ $? -eq 2 ] && grep -q 'has changed since the runs' err
ok $? "a profile changed after the runs: exit 2, $(head -c 150 err)"

done_testing
