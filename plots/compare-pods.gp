# compare-pods.gp - pods over time, one panel per variant (small
# multiples, one time axis), each drawn from its median replication (the
# panel's key says which; runs.csv has them all).  Grey: every pod that
# exists, terminating ones included (what the cluster must hold); line:
# ready pods.
# Reads compare.dat and compare-meta.gp (written by rollsim compare);
# edit freely and run gnuplot compare-pods.gp in this directory to redraw.
reset
load 'compare-meta.gp'
stats 'compare.dat' using 2 nooutput
top = STATS_max + 1
stats 'compare.dat' using 1 nooutput
tend = STATS_max
h = 130*nvariants + 90
do for [fmt in formats] {
    if (fmt eq 'svg') {
        set terminal svg size 1000,h font 'sans,11' noenhanced background rgb 'white'
        set output 'compare-pods.svg'
    } else {
        set terminal pngcairo size 1000,h font 'sans,10' noenhanced
        set output 'compare-pods.png'
    }
    set multiplot layout nvariants,1 title 'Pods over time - '.run_title."\n(one panel per variant; grey: all pods, terminating included; line: ready; median replication)" margins 0.07,0.97,0.12,0.93 spacing 0,0.02
    set grid
    set yrange [-0.25:top*1.5 + 0.5]
    set xrange [0:tend]
    set key inside left top opaque
    set ylabel 'pods'
    do for [i=0:nvariants-1] {
        if (i == nvariants-1) { set xlabel 'time (s)'; set format x '%g' } else { unset xlabel; set format x '' }
        plot 'compare.dat' index i using 1:2 with fillsteps fs solid 0.35 noborder lc rgb '#aaaaaa' title columnheader(1), \
             '' index i using 1:3 with steps lw 2 lc i+1 title 'ready'
    }
    unset multiplot
    set output
}
