# traffic.gp - top: each version's share of the requests per sample step,
# and the canary weight the controller set (weight.dat, when there is
# one); bottom: the request rate and the errors per second (right axis).
# rollsim plot format 3
# The rollout's span is shaded, dotted verticals mark its milestones.
# Reads share.dat, weight.dat, rate.dat and meta.gp (written by rollsim).
reset
load 'meta.gp'
colour(i) = word(palette, (i-1)%words(palette)+1)
set xrange [0:end_s/tscale]
set grid
set key outside right top
if (rollout_from >= 0) {
    set object 1 rect from first rollout_from/tscale, graph 0 to first rollout_to/tscale, graph 1 behind fillcolor rgb '#eef0f8' fillstyle solid 1.0 noborder
}
do for [i=1:nmarks] {
    t = real(word(mark_t, i))/tscale
    set arrow i from first t, graph 0 to first t, graph 1 nohead dt 3 lc rgb '#555555'
}
do for [fmt in formats] {
    if (fmt eq 'svg') {
        set terminal svg size 1000,640 font 'sans,11' noenhanced background rgb 'white'
        set output 'traffic.svg'
    } else {
        set terminal pngcairo size 1000,640 font 'sans,10' noenhanced
        set output 'traffic.png'
    }
    set multiplot layout 2,1 title 'Traffic'.(run_title ne '' ? ' - '.run_title : '') margins 0.08,0.80,0.09,0.92 spacing 0,0.09
    set ylabel 'share of arrivals'
    set yrange [0:1.1]
    unset xlabel
    # The milestones' words on the top panel only.
    do for [i=1:nmarks] {
        t = real(word(mark_t, i))/tscale
        set label i mark_l[i] at first t, graph 0.98 right rotate by 90 offset -0.6,0 font ',8' tc rgb '#333333'
    }
    if (!has_share) {
        set label 1000 'no request in this run' at graph 0.5, 0.5 center
        plot NaN notitle
        unset label 1000
    } else {
        plot for [i=1:nversions] 'share.dat' using ($1/tscale):(column(i+1)) with steps lw 2 lc rgb colour(i) title columnheader(i+1), \
             for [w=1:has_weight] 'weight.dat' using ($1/tscale):($2/100.0) with steps lw 1 dt 2 lc rgb 'black' title 'canary weight set'
    }
    unset label
    set xlabel 'time ('.tunit.')'
    set ylabel 'requests per second'
    set yrange [0:*]
    set y2label 'errors per second'
    set y2range [0:*]
    set y2tics
    set ytics nomirror
    if (!has_rate) {
        set label 1000 'no request in this run' at graph 0.5, 0.5 center
        plot NaN notitle
        unset label 1000
    } else {
        plot 'rate.dat' using ($1/tscale):2 with steps lw 2 lc rgb '#444444' title 'requests/s', \
             'rate.dat' using ($1/tscale):3 axes x1y2 with steps lw 2 lc rgb '#d62728' title 'errors/s'
    }
    unset y2label
    unset y2tics
    set ytics mirror
    unset multiplot
    set output
}
