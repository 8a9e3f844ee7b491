# pods.gp - pods per version over time: the classic rolling-update picture.
# rollsim plot format 2
# Solid lines: a version's pods (not terminating; pending ones included);
# dashed: its ready pods; shaded: its pending pods (not scheduled: the
# cluster has no room for them yet); grey band: every pod that exists,
# pending and terminating ones included.  Dotted verticals mark the
# rollout's milestones (marks.dat).  Each sample step is drawn from its
# start, so a change shows at the step it happened in.
# Reads pods.dat, marks.dat and meta.gp (written by rollsim); edit freely
# and run `rollsim plot DIR` to redraw.
load 'meta.gp'
set terminal pngcairo size 1000,560 font "sans,10" noenhanced
set output 'pods.png'
set title 'Pods per version'
set xlabel 'time (s)'
set ylabel 'pods'
set key outside right top
set grid
set xrange [0:end_s]
all = 3*nversions+2
stats 'pods.dat' using (column(all)) nooutput
top = STATS_max + 1
set yrange [0:top + 0.5]
plot 'pods.dat' using 1:(column(all)) with steps lw 6 lc rgb '#dddddd' title columnheader(all), \
     for [i=1:nversions] 'pods.dat' using 1:(column(3*i+1)) with fillsteps fs transparent solid 0.3 noborder lc i title columnheader(3*i+1), \
     for [i=1:nversions] 'pods.dat' using 1:(column(3*i-1)) with steps lw 2 lc i title columnheader(3*i-1), \
     for [i=1:nversions] 'pods.dat' using 1:(column(3*i)) with steps lw 1 dt 2 lc i title columnheader(3*i), \
     'marks.dat' using 1:(0):(0):(top) with vectors nohead dt 3 lc rgb '#555555' notitle, \
     'marks.dat' using 1:(top):2 with labels right rotate by 90 offset -0.8,0 font ",8" tc rgb '#555555' notitle
