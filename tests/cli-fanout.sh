#!/bin/sh
# cli-fanout.sh - the fan-out recipes tested, not only written: the GNU
# parallel one (docs/fanout/parallel-ssh.sh) runs its shards on this
# machine (an ssh login of ":" is the local one) and its merged result
# must be the files one `rollsim sweep` writes.  GNU parallel is a test
# package (tools/setup-deps.sh): make check installs it.
. "$(dirname "$0")/cli-lib.sh"

# moreutils has a `parallel` of its own, which the recipe cannot use.
if ! parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
    echo "ok 1 # SKIP GNU parallel is not installed (make check installs it)"
    echo "1..1"
    exit 0
fi

# The recipe runs `rollsim` from the PATH, on every host.
mkdir -p "$tmp/bin" "$tmp/run"
ln -s "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$tmp/bin/rollsim"
cp "$src/scenarios/seed-rolling.ini" "$tmp/run/"
# Two job slots on this machine.
echo "2/:" > "$tmp/run/hosts"

(cd "$tmp/run" && PATH="$tmp/bin:$PATH" \
    sh "$src/docs/fanout/parallel-ssh.sh" hosts seed-rolling.ini 4 \
        "$tmp/run/merged") > "$tmp/fanout.out" 2> "$tmp/fanout.err"
status=$?
ok $status "parallel-ssh.sh: 4 shards on 2 local slots, merged"
[ $status -eq 0 ] || sed 's/^/# /' "$tmp/fanout.err" >&2

for k in 1 2 3 4; do
    [ -f "$tmp/run/merged.parts/shard-$k/runs.csv" ]
    ok $? "shard $k came back with its runs"
done

# The same experiment on one machine, as the recipe's comment says.
(cd "$tmp/run" && "$bin" sweep seed-rolling.ini \
    --vary strategy.rolling.max_surge=1,2,25%,50% \
    --vary strategy.rolling.max_unavailable=0,1,25% \
    --reps 200 --jobs 2 --no-plots --no-report -q -o direct) 2>&1 \
    | sed 's/^/# /' >&2
for f in sweep.csv runs.csv experiment.ini; do
    same "$tmp/run/direct/$f" "$tmp/run/merged/$f" \
        "merged $f is the one-machine sweep's"
done
diff -r "$tmp/run/direct/variants" "$tmp/run/merged/variants" >/dev/null
ok $? "merged variants/ are the one-machine sweep's"

done_testing
