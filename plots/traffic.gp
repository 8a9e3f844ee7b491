# traffic.gp - each version's share of the requests, per sample step.
load 'meta.gp'
set terminal pngcairo size 1000,400 font "sans,10"
set output 'traffic.png'
set title 'Traffic share per version'
set xlabel 'time (s)'
set ylabel 'share of arrivals'
set yrange [0:1.05]
set key outside right top
set grid
plot for [i=1:nversions] 'share.dat' using 1:(column(i+1)) with steps lw 2 lc i title columnheader(i+1)
