# compare-errors.gp - failed requests, one panel per variant (small
# multiples, one time axis), each from its median replication: bars, the
# failed requests per sample step; line (right axis), their running sum,
# how many requests the rollout hurt so far.
# Reads compare.dat and compare-meta.gp (written by rollsim compare).
reset
load 'compare-meta.gp'
stats 'compare.dat' using 1 nooutput
tend = STATS_max
h = 130*nvariants + 90
do for [fmt in formats] {
    if (fmt eq 'svg') {
        set terminal svg size 1000,h font 'sans,11' noenhanced background rgb 'white'
        set output 'compare-errors.svg'
    } else {
        set terminal pngcairo size 1000,h font 'sans,10' noenhanced
        set output 'compare-errors.png'
    }
    set multiplot layout nvariants,1 title 'Failed requests - '.run_title."\n(one panel per variant; bars: per step; line, right axis: running total; median replication)" margins 0.07,0.93,0.12,0.93 spacing 0,0.02
    set grid
    set xrange [0:tend]
    set yrange [0:*]
    set y2range [0:*]
    set y2tics
    set ytics nomirror
    set key inside left top opaque
    set ylabel 'per step'
    do for [i=0:nvariants-1] {
        if (i == nvariants-1) { set xlabel 'time (s)'; set format x '%g' } else { unset xlabel; set format x '' }
        stats 'compare.dat' index i using 4 nooutput
        set yrange [0:STATS_max*1.6 + 1]
        set y2range [0:STATS_sum*1.6 + 1]
        total = 0
        plot 'compare.dat' index i using 1:4 with fillsteps fs solid 0.6 noborder lc i+1 title columnheader(1), \
             '' index i using 1:(total = total + $4) axes x1y2 with steps lw 2 lc rgb '#333333' title 'running total'
    }
    unset multiplot
    set output
}
