# latency.gp - latency percentiles of successful requests, per sample step.
load 'meta.gp'
set terminal pngcairo size 1000,400 font "sans,10" noenhanced
set output 'latency.png'
set datafile separator ','
set datafile missing ''
set title 'Latency of successful requests'
set xlabel 'time (s)'
set ylabel 'ms'
set key outside right top
set grid
if (!has_latency) {
    set label 1 'no successful request in this run' at graph 0.5, 0.5 center
    set xrange [0:end_s]
    set yrange [0:1]
    plot NaN notitle
} else {
    set logscale y
    plot '../timeseries.csv' using 1:(column('p50_ms')) with lines lw 2 title 'p50', \
         '' using 1:(column('p95_ms')) with lines lw 2 title 'p95', \
         '' using 1:(column('p99_ms')) with lines lw 2 title 'p99'
}
