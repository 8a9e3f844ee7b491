#!/bin/sh
# slurm-array.sh - a sharded rollsim sweep as a Slurm job array, merged by
# a job that starts when every shard has succeeded.
#
#   docs/fanout/slurm-array.sh SCENARIO.ini [SHARDS [OUTDIR]]    # on the login node
#
# Task K of the array runs shard K/SHARDS (SLURM_ARRAY_TASK_ID) with as
# many threads as CPUs it was given; the merge job (--dependency=afterok)
# writes OUTDIR/ (default out/slurm-sweep), the same files one machine
# would have written.  OUTDIR must be on a file system every node sees,
# and every node must run the same rollsim (merge checks the version).
#
# The experiment is the function below: edit it there, it is the same for
# every shard (only --shard differs, which is what makes them mergeable).
#SBATCH --job-name=rollsim
#SBATCH --cpus-per-task=4
#SBATCH --time=02:00:00
set -eu

experiment() {
    rollsim sweep "$ROLLSIM_SCENARIO" \
        --vary strategy.rolling.max_surge=1,2,25%,50% \
        --vary strategy.rolling.max_unavailable=0,1,25% \
        --reps 200 "$@"
}

case "${ROLLSIM_STEP:-submit}" in
submit)
    ROLLSIM_SCENARIO=$(realpath "${1:?usage: slurm-array.sh SCENARIO.ini [SHARDS [OUTDIR]]}")
    ROLLSIM_SHARDS=${2:-16}
    ROLLSIM_OUT=$(realpath -m "${3:-out/slurm-sweep}")
    export ROLLSIM_SCENARIO ROLLSIM_SHARDS ROLLSIM_OUT
    # Shards of an earlier experiment there would make merge refuse.
    rm -rf "$ROLLSIM_OUT.parts"
    mkdir -p "$ROLLSIM_OUT.parts"
    array=$(ROLLSIM_STEP=shard sbatch --parsable --export=ALL \
        --array=1-"$ROLLSIM_SHARDS" \
        --output="$ROLLSIM_OUT.parts/shard-%a.log" "$0")
    merge=$(ROLLSIM_STEP=merge sbatch --parsable --export=ALL \
        --dependency=afterok:"${array%%;*}" --cpus-per-task=1 \
        --output="$ROLLSIM_OUT.parts/merge.log" "$0")
    echo "array job $array ($ROLLSIM_SHARDS shards), merge job $merge:" \
         "the result will be in $ROLLSIM_OUT/"
    ;;
shard)
    experiment --jobs "${SLURM_CPUS_PER_TASK:-1}" \
        --shard "$SLURM_ARRAY_TASK_ID/$ROLLSIM_SHARDS" -q \
        -o "$ROLLSIM_OUT.parts/shard-$SLURM_ARRAY_TASK_ID"
    ;;
merge)
    rollsim merge "$ROLLSIM_OUT.parts"/shard-* -o "$ROLLSIM_OUT"
    ;;
esac
