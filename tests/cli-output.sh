#!/bin/sh
# cli-output.sh - outputs are never lost (TAP, run by prove): -o never
# deletes the command's own inputs; output problems are found before the
# simulation; a second run into the default directory says it replaces
# the first; SIGINT and SIGTERM leave no temporary directory, lock or
# gnuplot behind and exit 130/143; of concurrent runs into one -o one
# wins and the others fail at once; a file-size limit is an I/O error
# (docs/design.md 7.1).
. "$(dirname "$0")/cli-lib.sh"

cd "$tmp" || exit 1
leftovers () {          # leftovers DIR: hidden temporaries or locks in DIR
    ls -A "$1" | grep -E '^\.(.*\.tmp-|.*\.old|.*\.lock$)'
}
long='--set scenario.duration=6h --set traffic.rate=2000 --set rollout.at=1h'

# F14: -o never deletes the command's own inputs.
"$bin" run -q --no-plots -o res || exit 1
printf 'time_s,rate\n0,5\n60,40\n' > res/my-rate.csv
sed 's#^profile = .*#profile = my-rate.csv#' res/scenario.ini > res/edited.ini
"$bin" run -q --no-plots -o res res/edited.ini 2>err
[ $? -eq 2 ] && [ -f res/edited.ini ] && [ -f res/my-rate.csv ] \
    && grep -q 'res/edited.ini lies inside res' err
ok $? "a scenario inside -o: exit 2, kept ($(cat err))"
sed 's#^profile = .*#profile = '"$tmp"'/res/my-rate.csv#' res/scenario.ini > edited2.ini
"$bin" run -q --no-plots -o res edited2.ini 2>err
[ $? -eq 2 ] && [ -f res/my-rate.csv ] && grep -q 'my-rate.csv lies inside' err
ok $? "a rate profile inside -o: exit 2, kept"
mkdir -p out && "$bin" run -q --no-plots -o out/seed-rolling || exit 1
"$bin" run -q --no-plots out/seed-rolling/scenario.ini 2>err
[ $? -eq 2 ] && [ -f out/seed-rolling/scenario.ini ]
ok $? "re-running a result's scenario.ini into its own directory: exit 2"
"$bin" run -q --no-plots -o res2 out/seed-rolling/scenario.ini
ok $? "... and into another directory: it runs"
"$bin" compare -q --no-plots --reps 2 -o res res/edited.ini 2>err
[ $? -eq 2 ] && [ -f res/edited.ini ]
ok $? "compare with a scenario inside -o: exit 2"
"$bin" compare -q --no-plots --reps 2 --shard 1/1 -o sh || exit 1
"$bin" merge -q --no-plots -o sh sh 2>err
[ $? -eq 2 ] && [ -f sh/runs.csv ] && grep -q 'lies inside' err
ok $? "merge into its own shard: exit 2, the shard kept"

# F17: output problems before the simulation (a 6 h run at 2000/s would
# take minutes).
"$bin" run -q -o '' 2>err
[ $? -eq 2 ] && grep -q "empty name" err
ok $? "-o '': exit 2"
name=$(printf '%0300d' 0)
mkdir fresh && (cd fresh && "$bin" run -q --no-plots --set scenario.name=$name $long 2>../err)
[ $? -eq 2 ] && grep -q 'bytes long' err && [ -z "$(ls -A fresh)" ]
ok $? "a scenario.name too long for a directory: exit 2 at once, no out/ made"
touch afile
timeout 20 "$bin" run -q --no-plots -o afile/x $long 2>err
[ $? -eq 1 ] && grep -q 'not a directory' err
ok $? "-o under a file: exit 1 before simulating"
mkdir mine && touch mine/precious
timeout 20 "$bin" run -q --no-plots -o mine $long 2>err
[ $? -eq 1 ] && [ -f mine/precious ] && grep -q 'not written by rollsim' err
ok $? "-o a directory of someone else's: exit 1 before simulating"
mkdir fakebin
cat > fakebin/gnuplot <<'EOS'
#!/bin/sh
echo "gnuplot: unknown terminal type pngcairo" >&2
exit 1
EOS
chmod +x fakebin/gnuplot
mkdir fresh2 && (cd fresh2 && PATH="$tmp/fakebin:$PATH" timeout 20 "$bin" run -q $long 2>../err)
[ $? -eq 1 ] && grep -q 'gnuplot cannot draw PNGs' err && [ -z "$(ls -A fresh2)" ]
ok $? "a gnuplot that cannot draw: exit 1 before simulating, no out/ left"
mkdir fresh3 && (cd fresh3 && PATH=/nonexistent "$bin" run -q 2>../err)
[ $? -eq 1 ] && [ -z "$(ls -A fresh3)" ]
ok $? "no gnuplot: exit 1, no empty out/ left behind"

# D7: a second run into the default directory says so.
mkdir d7 && cd d7
"$bin" run --no-plots >/dev/null 2>err1
"$bin" run --no-plots --set strategy.type=recreate >/dev/null 2>err2
"$bin" run -q --no-plots >/dev/null 2>err3
[ ! -s err1 ] && grep -q 'out/seed-rolling holds an earlier run: replacing it' err2 \
    && [ ! -s err3 ]
ok $? "the second run into out/NAME says it replaces the first (not with -q)"
cd ..

# F12: signals leave nothing behind.
mkdir slow
cat > slow/gnuplot <<'EOS'
#!/bin/sh
case "$*" in *-e*) exit 0 ;; esac
echo $$ >> "$GNUPLOT_PIDS"
sleep 60
EOS
chmod +x slow/gnuplot
export GNUPLOT_PIDS="$tmp/gnuplot.pids"
for sig in INT TERM; do
    want=130; [ $sig = TERM ] && want=143
    mkdir s$sig
    # In gnuplot (slow): the temporary directory is full.
    PATH="$tmp/slow:$PATH" "$bin" run -q -o s$sig/r 2>err &
    pid=$!
    for i in $(seq 1 100); do [ -s "$GNUPLOT_PIDS" ] && break; sleep 0.1; done
    kill -$sig $pid; wait $pid; status=$?
    sleep 0.2
    alive=0
    for g in $(cat "$GNUPLOT_PIDS"); do kill -0 $g 2>/dev/null && alive=1; done
    [ $status -eq $want ] && [ -z "$(ls -A s$sig)" ] && [ $alive -eq 0 ] \
        && grep -q interrupted err
    ok $? "SIG$sig while gnuplot draws: exit $status, nothing left, gnuplot gone"
    : > "$GNUPLOT_PIDS"
    # In the simulation.
    "$bin" run -q --no-plots -o s$sig/r $long 2>err &
    pid=$!; sleep 0.5; kill -$sig $pid; wait $pid; status=$?
    [ $status -eq $want ] && [ -z "$(ls -A s$sig)" ]
    ok $? "SIG$sig while simulating: exit $status, nothing left"
    # In compare's runs.
    "$bin" compare -q --no-plots --reps 50 -o s$sig/c $long 2>err &
    pid=$!; sleep 0.5; kill -$sig $pid; wait $pid; status=$?
    [ $status -eq $want ] && [ -z "$(ls -A s$sig)" ]
    ok $? "SIG$sig in compare: exit $status, nothing left"
done
"$bin" run -q -o redraw || exit 1
PATH="$tmp/slow:$PATH" "$bin" plot redraw >/dev/null 2>err &
pid=$!
for i in $(seq 1 100); do [ -s "$GNUPLOT_PIDS" ] && break; sleep 0.1; done
kill -INT $pid; wait $pid; status=$?
[ $status -eq 130 ] && [ -z "$(ls -A redraw/plots | grep '^\.work')" ]
ok $? "SIGINT in rollsim plot: exit 130, no work directory left"

# F13: concurrent runs into one -o.
mkdir conc
for round in 1 2 3 4 5; do
    for i in 1 2 3 4 5 6; do
        "$bin" run -q --no-plots --set scenario.duration=5s --set rollout.at=1s \
            --seed $i -o conc/same 2>>conc-err &
    done
    wait
done
[ -f conc/same/summary.csv ] && [ -z "$(leftovers conc)" ] \
    && ! grep -v 'is being written by another rollsim' conc-err | grep -q .
ok $? "concurrent runs into one -o: one result, the others refused clearly, nothing left over"

# SIGXFSZ: a file-size limit is a write error, not a kill.
mkdir fsz
(ulimit -f 8; "$bin" run -q --no-plots -o fsz/r 2>err)
status=$?
[ $status -eq 1 ] && grep -q 'fsz/r' err && [ -z "$(ls -A fsz)" ]
ok $? "ulimit -f: exit 1 naming the output ($(head -c 100 err)), nothing left"

done_testing
