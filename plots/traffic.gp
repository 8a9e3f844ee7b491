# traffic.gp - each version's share of the requests per sample step, and
# the canary weight the controller set (weight.dat, when there is one).
# rollsim plot format 2
load 'meta.gp'
set terminal pngcairo size 1000,400 font "sans,10" noenhanced
set output 'traffic.png'
set title 'Traffic share per version'
set xlabel 'time (s)'
set ylabel 'share of arrivals'
set yrange [0:1.1]
set xrange [0:end_s]
set key outside right top
set grid
if (!has_share) {
    set label 1 'no request in this run' at graph 0.5, 0.5 center
    plot NaN notitle
} else {
    plot for [i=1:nversions] 'share.dat' using 1:(column(i+1)) with steps lw 2 lc i title columnheader(i+1), \
         'weight.dat' using 1:($2/100.0) with steps lw 1 dt 2 lc rgb 'black' title 'canary weight set', \
         'marks.dat' using 1:(0):(0):(1.1) with vectors nohead dt 3 lc rgb '#555555' notitle
}
