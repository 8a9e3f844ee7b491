#!/bin/sh
# parallel-ssh.sh - a sharded rollsim sweep over ssh with GNU parallel,
# merged here.
#
#   docs/fanout/parallel-ssh.sh HOSTS SCENARIO.ini [SHARDS [OUTDIR]]
#
# HOSTS is a GNU parallel --sshloginfile: one ssh login a line, with the
# job slots it takes, e.g. "8/alice@node1" (":" is this machine).  Each
# job runs one shard single-threaded, so give a host as many slots as it
# has cores and SHARDS a few times the total of the slots (default 32):
# hosts that finish early take more.  The scenario is copied to each host
# and every partial result copied back; then `rollsim merge` writes
# OUTDIR/ (default out/parallel-sweep), the same files one machine would
# have written.  Every host needs the same rollsim on its PATH (merge
# checks the version).
#
# The experiment is the command below: the same for every shard (only
# --shard differs, which is what makes them mergeable).
set -eu
hosts=$(realpath "${1:?usage: parallel-ssh.sh HOSTS SCENARIO.ini [SHARDS [OUTDIR]]}")
scenario=${2:?usage: parallel-ssh.sh HOSTS SCENARIO.ini [SHARDS [OUTDIR]]}
shards=${3:-32}
out=$(realpath -m "${4:-out/parallel-sweep}")
parts="$out.parts"
name=$(basename "$scenario")

rm -rf "$parts"
mkdir -p "$parts"
cp "$scenario" "$parts/$name"
cd "$parts"
# --transferfile sends the scenario (to the same relative path in the
# remote home), --return brings shard-K/ back, --cleanup removes both
# there; --halt stops everything at the first failure.
seq 1 "$shards" | parallel --sshloginfile "$hosts" --halt now,fail=1 \
    --transferfile "$name" --return 'shard-{}' --cleanup \
    rollsim sweep "$name" \
        --vary strategy.rolling.max_surge=1,2,25%,50% \
        --vary strategy.rolling.max_unavailable=0,1,25% \
        --reps 200 \
        --jobs 1 --shard "{}/$shards" -q -o 'shard-{}'
cd - >/dev/null
rollsim merge "$parts"/shard-* -o "$out"
