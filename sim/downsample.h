/* downsample.h - a time series reduced to what a picture can show, in
 * memory that does not grow with its length.
 *
 * Points (a time and a row of columns) are added in time order.  While
 * there are at most @max_bins of them, each is kept as it is, so a short
 * series is drawn exactly.  Beyond that they are gathered into bins of
 * equal width (a pixel column or finer), each keeping the minimum and
 * the maximum of every column: a spike of one point survives, whatever
 * the length.  When a point falls past the last bin, the width doubles
 * and neighbouring bins merge (min of mins, max of maxes: exact), so
 * between max_bins / 2 and max_bins bins cover the series at the end.
 *
 * A bin of one point gives that point back; a bin of several gives two:
 * its maxima at the bin's first time, its minima half a bin later, so a
 * step line drawn through them spans every value the bin held.  NaN
 * means "no value" and is ignored by min and max.
 */
#ifndef SIM_DOWNSAMPLE_H
#define SIM_DOWNSAMPLE_H

#include <glib.h>

typedef struct SimDownsample SimDownsample;

SimDownsample *sim_downsample_new (guint ncols, guint max_bins);
void sim_downsample_free (SimDownsample *d); /* NULL ok */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimDownsample, sim_downsample_free)

/* Add a point at @time (not before the last one) with @ncols values. */
void sim_downsample_add (SimDownsample *d, double time, const double *values);

/* Points added so far, and whether they are still kept one by one. */
guint64 sim_downsample_added (const SimDownsample *d);
gboolean sim_downsample_exact (const SimDownsample *d);

typedef void (*SimDownsampleFunc) (double time, const double *values,
                                   gpointer user);
/* Call @fn on each point to draw, in time order. */
void sim_downsample_foreach (const SimDownsample *d, SimDownsampleFunc fn,
                             gpointer user);

#endif /* SIM_DOWNSAMPLE_H */
