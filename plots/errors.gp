# errors.gp - failed requests per sample step, stacked by cause.
# rollsim plot format 2
# Reads errors.dat and meta.gp (written by rollsim).
load 'meta.gp'
set terminal pngcairo size 1000,400 font "sans,10" noenhanced
set output 'errors.png'
set title 'Errors by cause'
set xlabel 'time (s)'
set ylabel 'requests per step'
set key outside right top
set grid
set xrange [0:end_s]
set style fill solid 0.8 noborder
# The sum of causes k..6 (columns k+1..7) for a stack drawn back to front.
stack(k) = sum [j=k:6] column(j+1)
stats 'errors.dat' using (stack(1)) nooutput
# Requests are whole: no ticks between them.
if (STATS_max < 10) set ytics 1
if (STATS_max < 1) { set yrange [0:1] } else { set yrange [0:*] }
plot for [k=1:6] 'errors.dat' using 1:(stack(k)) with fillsteps title columnheader(k+1)
