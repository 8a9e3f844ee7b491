# latency.gp - latency percentiles of successful requests, per sample step.
# rollsim plot format 2
# Reads latency.dat and meta.gp (written by rollsim).
load 'meta.gp'
set terminal pngcairo size 1000,400 font "sans,10" noenhanced
set output 'latency.png'
set title 'Latency of successful requests'
set xlabel 'time (s)'
set ylabel 'ms'
set key outside right top
set grid
set xrange [0:end_s]
if (!has_latency) {
    set label 1 'no successful request in this run' at graph 0.5, 0.5 center
    set yrange [0:1]
    plot NaN notitle
} else {
    set logscale y
    plot 'latency.dat' using 1:2 with steps lw 2 title 'p50', \
         '' using 1:3 with steps lw 2 title 'p95', \
         '' using 1:4 with steps lw 2 title 'p99'
}
