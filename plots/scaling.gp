# scaling.gp - what the autoscalers did: the replicas the HPA wanted, the
# ReplicaSets' spec, each version's pods, the nodes, and the CPU
# utilization the HPA saw against its target.
# rollsim plot format 2
# Top: the HPA's desired replicas (thick), the ReplicaSets' spec summed
# (thin; above the HPA's during a surge or a canary), each version's pods
# (as in pods.png) and the nodes (grey, right axis).  Bottom: the CPU
# utilization of the HPA's last sync, with its target dashed (without
# an HPA, or without a CPU metric, the top alone).  Dotted
# verticals mark the rollout's milestones (marks.dat).  Drawn only when
# an HPA synced or nodes came or went.
# Reads scaling.dat, pods.dat, marks.dat and meta.gp (written by rollsim);
# edit freely and run `rollsim plot DIR` to redraw.
load 'meta.gp'
set terminal pngcairo size 1000,760 font "sans,10" noenhanced
set output 'scaling.png'
if (has_hpa) {
    set multiplot layout 2,1 title 'Scaling' margins 0.08,0.80,0.08,0.93 spacing 0,0.08
} else {
    set title 'Scaling'
    set xlabel 'time (s)'
}
set xrange [0:end_s]
set grid
set key outside right top
top = scaling_top + 1
ntop = nodes_top + 1
set ylabel 'replicas'
set yrange [0:top + 0.5]
set y2label 'nodes'
set y2tics
set y2range [0:ntop]
set ytics nomirror
plot 'scaling.dat' using 1:3 with steps lw 3 lc rgb '#1f77b4' title 'HPA desired', \
     'scaling.dat' using 1:2 with steps lw 1 lc rgb '#000000' title "ReplicaSets' spec", \
     for [i=1:nversions] 'pods.dat' using 1:(column(3*i-1)) with steps lw 1 dt 2 lc i+2 title columnheader(3*i-1), \
     'scaling.dat' using 1:4 axes x1y2 with steps lw 2 lc rgb '#999999' title 'nodes', \
     'marks.dat' using 1:(0):(0):(top) with vectors nohead dt 3 lc rgb '#555555' notitle, \
     'marks.dat' using 1:(top):2 with labels right rotate by 90 offset -0.8,0 font ",8" tc rgb '#555555' notitle
if (!has_hpa) { exit }
unset y2label
unset y2tics
set xlabel 'time (s)'
set ylabel 'CPU utilization (% of request)'
set yrange [0:*]
if (cpu_target > 0) {
    plot 'scaling.dat' using 1:5 with steps lw 2 lc rgb '#d62728' title 'CPU utilization', \
         cpu_target with lines dt 2 lw 1 lc rgb '#d62728' title 'target'
} else {
    plot 'scaling.dat' using 1:5 with steps lw 2 lc rgb '#d62728' title 'CPU utilization'
}
unset multiplot
