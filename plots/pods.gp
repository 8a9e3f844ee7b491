# pods.gp - pods per version over time: the classic rolling-update picture.
# Solid lines: a version's pods (not terminating); dashed: its ready pods;
# grey: every pod that exists, terminating ones included (what the cluster
# must hold - the surge band shows as the gap above `replicas`).
# Reads pods.dat and meta.gp (written by rollsim); edit freely and run
# `rollsim plot DIR` to redraw.
load 'meta.gp'
set terminal pngcairo size 1000,560 font "sans,10"
set output 'pods.png'
set title 'Pods per version'
set xlabel 'time (s)'
set ylabel 'pods'
set key outside right top
set grid
set yrange [0:*]
set offsets 0, 0, 0.5, 0
plot 'pods.dat' using 1:(column(2*nversions+2)) with steps lw 6 lc rgb '#dddddd' title columnheader(2*nversions+2), \
     for [i=1:nversions] 'pods.dat' using 1:(column(2*i)) with steps lw 2 lc i title columnheader(2*i), \
     for [i=1:nversions] 'pods.dat' using 1:(column(2*i+1)) with steps lw 1 dt 2 lc i title columnheader(2*i+1)
