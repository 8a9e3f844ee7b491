/* profile.h - a traffic rate profile: a CSV file of `time_s,rate` rows
 * (an optional header row `time_s,rate` first), read with libcsv.  The
 * rate is piecewise constant: each row sets it from its time on, and
 * traffic.rate holds before the first row.  Times must increase, up to
 * 10^12 s; rates are requests per second, 0..10^6.  Both are plain
 * decimal numbers with a dot ("nan", "inf", "10,5" are refused).  A
 * leading UTF-8 byte-order mark is skipped; a file without a row is an
 * error.
 */
#ifndef SIM_PROFILE_H
#define SIM_PROFILE_H

#include <glib.h>
#include "units.h"

typedef struct SimRateStep {
    SimTime time;
    double rate;
} SimRateStep;

/* Read @path: its steps in order, *@n_steps of them (newly allocated;
 * g_free).  NULL with @error on a bad file: SIM_SCENARIO_ERROR_INVALID
 * for a bad row or no row, _SYNTAX when it is not CSV (both "PATH:LINE:
 * what is wrong (accepted: ...)"), _IO when it cannot be read or is not
 * a regular file. */
SimRateStep *sim_profile_load (const char *path, gint *n_steps, GError **error);

#endif /* SIM_PROFILE_H */
