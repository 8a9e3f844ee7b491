# scaling.gp - what the autoscalers did: the replicas the HPA wanted, the
# ReplicaSets' spec, each version's pods, the nodes, and the CPU
# utilization the HPA saw against its target.
# rollsim plot format 3
# Top: the HPA's desired replicas (thick), the ReplicaSets' spec summed
# (thin; above the HPA's during a surge or a canary), each version's pods
# (as in pods.png) and the nodes (grey, right axis).  Bottom: the CPU
# utilization of the HPA's last sync, with its target dashed (without
# an HPA, or without a CPU metric, the top alone).  The rollout's span is
# shaded, dotted verticals mark its milestones.  Drawn only when an HPA
# synced or nodes came or went.
# Reads scaling.dat, pods.dat and meta.gp (written by rollsim); edit
# freely and run `rollsim plot DIR` to redraw.
reset
load 'meta.gp'
colour(i) = word(palette, (i-1)%words(palette)+1)
title = 'Scaling'.(run_title ne '' ? ' - '.run_title : '')
set xrange [0:end_s/tscale]
set grid
set key outside right top
top = scaling_top + 1
ntop = nodes_top + 1
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
        set terminal svg size 1000,760 font 'sans,11' noenhanced background rgb 'white'
        set output 'scaling.svg'
    } else {
        set terminal pngcairo size 1000,760 font 'sans,10' noenhanced
        set output 'scaling.png'
    }
    if (has_hpa) {
        set multiplot layout 2,1 title title margins 0.08,0.80,0.08,0.93 spacing 0,0.08
        unset xlabel
        unset title
    } else {
        set title title
        set xlabel 'time ('.tunit.')'
    }
    set ylabel 'replicas'
    set yrange [0:top + 0.5]
    set y2label 'nodes'
    set y2tics
    set y2range [0:ntop]
    set ytics nomirror
    plot 'scaling.dat' using ($1/tscale):3 with steps lw 3 lc rgb '#1f77b4' title 'HPA desired', \
         'scaling.dat' using ($1/tscale):2 with steps lw 1 lc rgb '#000000' title "ReplicaSets' spec", \
         for [i=1:nversions] 'pods.dat' using ($1/tscale):(column(3*i-1)) with steps lw 1 dt 2 lc rgb colour(i) title columnheader(3*i-1), \
         'scaling.dat' using ($1/tscale):4 axes x1y2 with steps lw 2 lc rgb '#999999' title 'nodes'
    if (has_hpa) {
        unset y2label
        unset y2tics
        set ytics mirror
        unset label
        set xlabel 'time ('.tunit.')'
        set ylabel 'CPU utilization (% of request)'
        set yrange [0:*]
        if (cpu_target > 0) {
            plot 'scaling.dat' using ($1/tscale):5 with steps lw 2 lc rgb '#d62728' title 'CPU utilization', \
                 cpu_target with lines dt 2 lw 1 lc rgb '#d62728' title 'target'
        } else {
            plot 'scaling.dat' using ($1/tscale):5 with steps lw 2 lc rgb '#d62728' title 'CPU utilization'
        }
        unset multiplot
        do for [i=1:nmarks] {
            t = real(word(mark_t, i))/tscale
            set label i mark_l[i] at first t, graph 0.98 right rotate by 90 offset -0.6,0 font ',8' tc rgb '#333333'
        }
    }
    unset y2label
    unset y2tics
    set output
}
