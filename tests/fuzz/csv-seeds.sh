#!/bin/sh
# csv-seeds.sh - writes the seed corpus of tests/fuzz-csv.c into
# tests/fuzz/csv/ from real outputs of rollsim (run it from the top of the
# tree after `make`, when an output format changes).  Each seed is the
# harness's selector byte (0 profile, 1 plot data, 2 merge, 3 any CSV)
# and its text; merge seeds use the harness's placeholders for the hashes,
# seeds and version it computes itself.
set -eu
R=${ROLLSIM:-build/rollsim}
out=tests/fuzz/csv
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$out"
rm -f "$out"/*
sep='===='
seed () {               # seed NAME SELECTOR-OCTAL < TEXT
    { printf "\\$2"; cat; } > "$out/$1"
}

# 0: rate profiles.
printf 'time_s,rate\n0,10\n60,200.5\n120,0\n' | seed profile-header 000
printf '0,5\n30,1e3\n' | seed profile-plain 000
printf '\357\273\277time_s,rate\r\n0,1\r\n' | seed profile-bom-crlf 000
printf '0,10\n10,nan\n' | seed profile-nan 000
printf '"0","7"\n5,"8"\n' | seed profile-quoted 000

# 1: a run's CSV files (a short run: few rows).
"$R" run -q --no-plots -o "$t/r" --set scenario.duration=14s \
    --set rollout.at=2s --set scenario.sample=2s
{ cat "$t/r/versions.csv"; echo $sep; cat "$t/r/timeseries.csv"; \
  echo $sep; cat "$t/r/events.csv"; } | seed plot-rolling 001
"$R" run -q --no-plots -o "$t/b" scenarios/bluegreen-bad.ini \
    --set scenario.duration=30s --set scenario.sample=5s
{ cat "$t/b/versions.csv"; echo $sep; cat "$t/b/timeseries.csv"; \
  echo $sep; cat "$t/b/events.csv"; } | seed plot-bluegreen 001
"$R" run -q --no-plots -o "$t/c" scenarios/canary-good-router.ini \
    --set scenario.duration=60s --set scenario.sample=10s
{ cat "$t/c/versions.csv"; echo $sep; cat "$t/c/timeseries.csv"; \
  echo $sep; grep -E '^time_s|weight-set|rollout|paused|promoted' \
      "$t/c/events.csv"; } | seed plot-canary 001

"$R" run -q --no-plots -o "$t/h" scenarios/autoscaling-rolling-burst.ini \
    --set scenario.sample=20s
{ cat "$t/h/versions.csv"; echo $sep; cat "$t/h/timeseries.csv"; \
  echo $sep; grep -E '^time_s|hpa-scaled|rollout|action|node-' \
      "$t/h/events.csv"; } | seed plot-autoscaling 001

# 2: compare results, as the harness's model runs them.
placeholders () {       # the hashes, seeds and version as placeholders
    sed -e "s/$(sed -n 's/^scenario_sha256=//p' "$1/experiment.ini" | sed -n 1p)/@SHA1@/g" \
        -e "s/$(sed -n 's/^scenario_sha256=//p' "$1/experiment.ini" | sed -n 2p)/@SHA2@/g" \
        -e "s/^rollsim_version=.*/rollsim_version=@VERSION@/"
}
for shard in "" "--shard 1/1"; do
    name=merge-whole; [ -n "$shard" ] && name=merge-shard
    "$R" compare -q --no-plots --reps 4 --strategy rolling,recreate \
        --set scenario.duration=20s --set rollout.at=2s $shard -o "$t/$name"
    { placeholders "$t/$name" < "$t/$name/experiment.ini"; echo $sep; \
      awk -F, -v OFS=, 'NR == 1 { print; next }
          { v = ($1 == "rolling") ? 1 : 2; $(NF - 2) = "@RUN" v "." $2 "@";
            $(NF - 1) = "@VERSION@"; $5 = "@SEED" $2 "@"; print }' \
          "$t/$name/runs.csv" \
      | placeholders "$t/$name"; } | seed "$name" 002
done

# 3: any CSV.
printf 'a,b,c\n1,"two, with ""quotes""",3\r\n"multi\nline",,\n' | seed table-quotes 003
printf 'x\n' | seed table-one 003
printf '"unclosed\n' | seed table-unclosed 003
echo "seeds in $out: $(ls "$out" | wc -l)"
