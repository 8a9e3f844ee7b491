/* profile.h - a traffic rate profile: a CSV file of `time_s,rate` rows
 * (an optional header row first), read with libcsv.  The rate is
 * piecewise constant: each row sets it from its time on.  Times must
 * increase, up to 10^12 s; rates are requests per second, 0..10^6.
 * Both are plain decimal numbers ("nan" and "inf" are refused).
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
 * for a bad row ("PATH:LINE: what is wrong (accepted: ...)"), _IO when
 * it cannot be read, _SYNTAX when it is not CSV. */
SimRateStep *sim_profile_load (const char *path, gint *n_steps, GError **error);

#endif /* SIM_PROFILE_H */
