# pods.gp - pods per version over time: the classic rolling-update picture.
# rollsim plot format 3
# Solid lines: a version's pods (not terminating; pending ones included),
# an earlier version's line drawn wider, so equal counts stay visible;
# dashed: its ready pods; shaded: its pending pods (not scheduled: the
# cluster has no room for them yet); grey band: every pod that exists,
# pending and terminating ones included.  The rollout's span is shaded,
# dotted verticals mark its milestones, steps, actions and faults
# (meta.gp).  Each sample step is drawn from its start, so a change shows
# at the step it happened in; a long run is drawn from the minimum and
# maximum of each pixel column (downsampled = 1 in meta.gp), so no spike
# is lost.
# Reads pods.dat and meta.gp (written by rollsim); edit freely and run
# `rollsim plot DIR` to redraw.
reset
load 'meta.gp'
all = 3*nversions+2
stats 'pods.dat' using (column(all)) nooutput
top = STATS_max + 1
colour(i) = word(palette, (i-1)%words(palette)+1)
set title 'Pods per version'.(run_title ne '' ? ' - '.run_title : '')
set xlabel 'time ('.tunit.')'
set ylabel 'pods'
set key below horizontal maxrows 2
set grid
set xrange [0:end_s/tscale]
set yrange [0:top + 0.5]
if (rollout_from >= 0) {
    set object 1 rect from first rollout_from/tscale, graph 0 to first rollout_to/tscale, graph 1 behind fillcolor rgb '#eef0f8' fillstyle solid 1.0 noborder
}
do for [i=1:nmarks] {
    t = real(word(mark_t, i))/tscale
    set arrow i from first t, graph 0 to first t, graph 1 nohead dt 3 lc rgb '#555555'
    set label i mark_l[i] at first t, graph 0.98 right rotate by 90 offset -0.6,0 font ',8' tc rgb '#333333'
}
do for [fmt in formats] {
    if (fmt eq 'svg') {
        set terminal svg size 1000,560 font 'sans,11' noenhanced background rgb 'white'
        set output 'pods.svg'
    } else {
        set terminal pngcairo size 1000,560 font 'sans,10' noenhanced
        set output 'pods.png'
    }
    plot 'pods.dat' using ($1/tscale):(column(all)) with steps lw 6 lc rgb '#d0d0d0' title columnheader(all), \
         for [i=1:nversions] 'pods.dat' using ($1/tscale):(column(3*i+1)) with fillsteps fs transparent solid 0.3 noborder lc rgb colour(i) title columnheader(3*i+1), \
         for [i=1:nversions] 'pods.dat' using ($1/tscale):(column(3*i-1)) with steps lw (1.5 + 2*(nversions-i)) lc rgb colour(i) title columnheader(3*i-1), \
         for [i=1:nversions] 'pods.dat' using ($1/tscale):(column(3*i)) with steps lw 2 dt 2 lc rgb colour(i) title columnheader(3*i)
    set output
}
