# latency.gp - latency percentiles of successful requests, per sample step.
# rollsim plot format 3
# The rollout's span is shaded, dotted verticals mark its milestones.
# Reads latency.dat and meta.gp (written by rollsim).
reset
load 'meta.gp'
set title 'Latency of successful requests'.(run_title ne '' ? ' - '.run_title : '')
set xlabel 'time ('.tunit.')'
set ylabel 'ms'
set key outside right top
set grid
set xrange [0:end_s/tscale]
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
        set terminal svg size 1000,400 font 'sans,11' noenhanced background rgb 'white'
        set output 'latency.svg'
    } else {
        set terminal pngcairo size 1000,400 font 'sans,10' noenhanced
        set output 'latency.png'
    }
    if (!has_latency) {
        set label 1000 'no successful request in this run' at graph 0.5, 0.5 center
        set yrange [0:1]
        plot NaN notitle
    } else {
        # A log scale cannot show 0 ms (a service time of const(0s)).
        if (latency_log) { set logscale y } else { unset logscale y }
        plot 'latency.dat' using ($1/tscale):2 with steps lw 2 title 'p50', \
             '' using ($1/tscale):3 with steps lw 2 title 'p95', \
             '' using ($1/tscale):4 with steps lw 2 title 'p99'
    }
    set output
}
