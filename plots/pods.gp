# pods.gp - pods per version over time: the classic rolling-update picture.
# Solid lines: a version's pods (not terminating); dashed: its ready pods;
# grey band: every pod that exists, terminating ones included (what the
# cluster must hold - the surge shows as the part above `replicas`).
# Dotted verticals mark the rollout's milestones (marks.dat).
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
stats 'pods.dat' using (column(2*nversions+2)) nooutput
top = STATS_max + 1
set yrange [0:top + 0.5]
plot 'pods.dat' using 1:(column(2*nversions+2)) with steps lw 6 lc rgb '#dddddd' title columnheader(2*nversions+2), \
     for [i=1:nversions] 'pods.dat' using 1:(column(2*i)) with steps lw 2 lc i title columnheader(2*i), \
     for [i=1:nversions] 'pods.dat' using 1:(column(2*i+1)) with steps lw 1 dt 2 lc i title columnheader(2*i+1), \
     'marks.dat' using 1:(0):(0):(top) with vectors nohead dt 3 lc rgb '#555555' notitle, \
     'marks.dat' using 1:(top):2 with labels right rotate by 90 offset -0.8,0 font ",8" tc rgb '#555555' notitle
