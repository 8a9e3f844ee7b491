# errors.gp - failed requests per sample step, stacked by cause.
# rollsim plot format 3
# The rollout's span is shaded, dotted verticals mark its milestones.
# Reads errors.dat and meta.gp (written by rollsim).
reset
load 'meta.gp'
set title 'Errors by cause'.(run_title ne '' ? ' - '.run_title : '')
set xlabel 'time ('.tunit.')'
set ylabel 'failed requests per step'
set key outside right top
set grid
set xrange [0:end_s/tscale]
set style fill solid 0.8 noborder
# The sum of causes k..6 (columns k+1..7) for a stack drawn back to front.
stack(k) = sum [j=k:6] column(j+1)
stats 'errors.dat' using (stack(1)) nooutput
# Requests are whole: no ticks between them.
if (STATS_max < 10) set ytics 1
if (STATS_max < 1) { set yrange [0:1] } else { set yrange [0:*] }
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
        set output 'errors.svg'
    } else {
        set terminal pngcairo size 1000,400 font 'sans,10' noenhanced
        set output 'errors.png'
    }
    plot for [k=1:6] 'errors.dat' using ($1/tscale):(stack(k)) with fillsteps title columnheader(k+1)
    set output
}
