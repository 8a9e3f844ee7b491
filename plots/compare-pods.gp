# compare-pods.gp - pods over time, one colour per variant, each drawn
# from its median replication (the title says which; runs.csv has them
# all).  Solid: every pod that exists, terminating ones included (what the
# cluster must hold); dashed: ready pods.
# Reads compare.dat and compare-meta.gp (written by rollsim compare);
# edit freely and run gnuplot compare-pods.gp in this directory to redraw.
load 'compare-meta.gp'
set terminal pngcairo size 1000,560 font "sans,10" noenhanced
set output 'compare-pods.png'
set title 'Pods over time (solid: all pods, dashed: ready; median replication of each variant)'
set xlabel 'time (s)'
set ylabel 'pods'
set key outside right top
set grid
# A little room below 0, so pods that drop to none stay visible.
set yrange [-0.25:*]
set offsets 0, 0, 0.5, 0
plot for [i=0:nvariants-1] 'compare.dat' index i using 1:2 with steps lw 2 lc i+1 title columnheader(1), \
     for [i=0:nvariants-1] 'compare.dat' index i using 1:3 with steps lw 1 dt 2 lc i+1 title ''
