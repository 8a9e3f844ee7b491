/* units.h - simulated time and the textual units of scenario files.
 *
 * Simulated time is an integer count of microseconds (SimTime); nothing in
 * the model uses floating-point time.  This module parses and formats the
 * units a scenario file writes: durations ("250ms", "30s", "5m", "1h"),
 * Kubernetes CPU quantities ("500m", "2"), memory quantities ("256Mi",
 * "8Gi", "1G") and integer-or-percentage values ("1", "25%") with the
 * exact rounding of Kubernetes' intstr helpers.
 */
#ifndef SIM_UNITS_H
#define SIM_UNITS_H

#include <glib.h>

typedef gint64 SimTime; /* microseconds */

#define SIM_USEC ((SimTime) 1)
#define SIM_MSEC ((SimTime) 1000)
#define SIM_SEC ((SimTime) 1000000)
#define SIM_MIN (60 * SIM_SEC)
#define SIM_HOUR (60 * SIM_MIN)
#define SIM_TIME_NEVER G_MAXINT64 /* "none": no deadline / no timeout */

/* Seconds as a double, for output and statistics only. */
#define SIM_TIME_TO_SEC(t) ((double) (t) / 1e6)

/* An integer or a percentage of some total, as Kubernetes' IntOrString. */
typedef struct {
    gboolean percent; /* value is a percentage */
    gint value;       /* >= 0 */
} SimIntOrPercent;

#define SIM_UNITS_ERROR (sim_units_error_quark ())
GQuark sim_units_error_quark (void);
typedef enum {
    SIM_UNITS_ERROR_INVALID,
} SimUnitsError;

/* Parsing.  Each returns FALSE and sets @error (with the accepted forms in
 * the message) on bad input.  Negative values are rejected. */
gboolean sim_units_parse_duration (const char *s, SimTime *out, GError **error);
/* CPU: "2", "0.5", "500m" -> millicores. */
gboolean sim_units_parse_cpu (const char *s, gint64 *out_millicores,
                              GError **error);
/* Memory: "128974848", "129e6", "129M", "123Mi", "8Gi", "1k" -> bytes. */
gboolean sim_units_parse_memory (const char *s, gint64 *out_bytes,
                                 GError **error);
/* "3" or "25%". */
gboolean sim_units_parse_int_or_percent (const char *s, SimIntOrPercent *out,
                                         GError **error);

/* Formatting: the canonical text, parseable again.  Newly allocated. */
char *sim_units_format_duration (SimTime t);    /* "250ms", "30s", "1m30s" */
char *sim_units_format_cpu (gint64 millicores); /* "500m", "2" */
/* Memory: the largest binary suffix that divides exactly when that leaves
 * a number below 10^6 ("256Mi", "1536Mi"), else plain bytes ("1000000"). */
char *sim_units_format_memory (gint64 bytes); /* "256Mi", "1000000" */
char *sim_units_format_int_or_percent (SimIntOrPercent v);

/* Kubernetes' GetScaledValueFromIntOrPercent: a percentage of @total
 * rounded up (ceil(p*total/100)) or down (floor); an integer as is.
 * (docs/design.md K2.1) */
gint sim_units_scaled_value (SimIntOrPercent v, gint total, gboolean round_up);

#endif /* SIM_UNITS_H */
