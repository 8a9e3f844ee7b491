# sweep-metrics.gp - each chosen metric against the first --vary key, one
# line per value of the other keys: the mean over the replications with
# its 95% confidence interval as error bars.  One PNG per metric,
# sweep-METRIC.png.  A combination that was skipped leaves a gap; a
# combination with an aborted, stalled or unfinished replication is
# circled (column 3 of sweep.dat is 0); a point with no value in any
# replication (a rollout that never ended) is missing.
# Reads sweep.dat and sweep-meta.gp (written by rollsim sweep).
reset
load 'sweep-meta.gp'
set xlabel xkey.xunit
set key outside right top
set grid
set offsets graph 0.05, graph 0.05, 0, 0
# The circles' key only when some combination did not complete.
stats 'sweep.dat' using 3 nooutput
incomplete = STATS_min == 0
do for [fmt in formats] {
do for [m=1:words(metrics)] {
    if (fmt eq 'svg') {
        set terminal svg size 1000,500 font 'sans,11' noenhanced background rgb 'white'
    } else {
        set terminal pngcairo size 1000,500 font 'sans,10' noenhanced
    }
    set output 'sweep-'.word(metrics, m).'.'.fmt
    set title word(metrics, m).' against '.xkey.' - '.run_title."\n(mean, 95% interval".(incomplete ? "; circled: not every replication completed)" : ")")
    set ylabel word(metrics, m)
    # Tics at the values themselves, spaced by value when all are numbers
    # (xnumeric; column 2 is then the value, else its position).
    plot for [i=0:nlines-1] 'sweep.dat' index i using 2:(column(2*m+2)):(column(2*m+3)):xtic(1) with yerrorlines lw 2 pt 7 lc i+1 title columnheader(1), \
         for [i=0:nlines-1] 'sweep.dat' index i using 2:(column(3) != 0 ? NaN : column(2*m+2)) with points pt 6 ps 3 lw 2 lc rgb 'black' title (i == 0 && incomplete ? 'not every replication completed' : '')
}
    set output
}
