# compare-errors.gp - failed requests per sample step, one line per
# variant, each from its median replication (the title says which).
# Reads compare.dat and compare-meta.gp (written by rollsim compare).
load 'compare-meta.gp'
set terminal pngcairo size 1000,400 font "sans,10" noenhanced
set output 'compare-errors.png'
set title 'Errors per sample step (median replication of each variant)'
set xlabel 'time (s)'
set ylabel 'failed requests per step'
set key outside right top
set grid
set yrange [-0.25:*]
plot for [i=0:nvariants-1] 'compare.dat' index i using 1:4 with steps lw 2 lc i+1 title columnheader(1)
