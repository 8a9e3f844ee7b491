# errors.gp - failed requests per sample step, stacked by cause.
set terminal pngcairo size 1000,400 font "sans,10" noenhanced
set output 'errors.png'
set datafile separator ','
set title 'Errors by cause'
set xlabel 'time (s)'
set ylabel 'requests per step'
set key outside right top
set grid
set style fill solid 0.8 noborder
causes = 'app_error no_endpoint refused rejected killed timeout'
# The sum of causes k..6 for a stack drawn back to front.
stack(k) = sum [j=k:6] column(word(causes, j))
plot for [k=1:6] '../timeseries.csv' using 1:(stack(k)) with fillsteps title word(causes, k)
