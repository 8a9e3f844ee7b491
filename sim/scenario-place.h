/* scenario-place.h - where each setting of a scenario was written, and
 * errors that say so.
 *
 * A value comes from a line of the scenario file, or from an override:
 * a `--set GROUP.KEY=VALUE` on the command line, or (for imported
 * manifests) a field of a YAML file.  Its origin is what every message
 * about it names first:
 *
 *     web.ini:12: deployment.replicas: ...
 *     --set deployment.replicas=x: deployment.replicas: ...
 *     deploy.yaml:14 (spec.replicas): deployment.replicas: ...
 *
 * The places of one load (SimPlaces) also hold the scan of the file's
 * text: GKeyFile keeps no line numbers and quietly merges a group or key
 * written twice, so the text is read once line by line first.  This
 * module knows nothing of any group: it maps GROUP and GROUP.KEY to
 * places.
 */
#ifndef SIM_SCENARIO_PLACE_H
#define SIM_SCENARIO_PLACE_H

#include <glib.h>
#include "keytab.h"

typedef enum {
    SIM_ORIGIN_SET,    /* --set GROUP.KEY=VALUE */
    SIM_ORIGIN_IMPORT, /* a field of an imported file */
} SimOriginKind;

/* Where an override came from. */
typedef struct SimOrigin {
    SimOriginKind kind;
    char *file; /* IMPORT: the file, as named to the user */
    guint line; /* IMPORT: its line (0: unknown) */
    char *what; /* SET: "GROUP.KEY=VALUE" as written; IMPORT:
                   the field path, "spec.replicas" */
} SimOrigin;

SimOrigin *sim_origin_new_set (const char *assignment);
SimOrigin *sim_origin_new_import (const char *file, guint line,
                                  const char *path);
SimOrigin *sim_origin_copy (const SimOrigin *o);
void sim_origin_free (SimOrigin *o); /* NULL ok */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimOrigin, sim_origin_free)
/* "--set G.K=V" or "deploy.yaml:14 (spec.replicas)".  Newly allocated. */
char *sim_origin_format (const SimOrigin *o);

struct SimPlaces {
    const char *path;    /* the scenario, for messages */
    char *dir;           /* its directory, absolute: the base of
                            relative paths written in it */
    gboolean use_lines;  /* FALSE: the text is not the user's file
                            (a resolved scenario re-read), name the
                            path alone */
    GHashTable *lines;   /* "GROUP" and "GROUP\nKEY" -> line */
    GHashTable *origins; /* "GROUP" and "GROUP\nKEY" -> SimOrigin of
                            the override that wrote it */
    guint bad_line;      /* first line the scan could not read, or 0 */
    char *bad_what;      /* and why */
};

void sim_places_init (SimPlaces *pl, const char *path, gboolean use_lines);
void sim_places_clear (SimPlaces *pl);

/* Scan @data (recording lines, refusing what is not a group, a key line
 * or a comment, and groups or keys written twice), then parse it.  NULL
 * with SIM_SCENARIO_ERROR_SYNTAX naming FILE:LINE. */
GKeyFile *sim_places_read (SimPlaces *pl, const char *data, GError **error);

/* An override wrote GROUP.KEY; @group_is_new: it also created GROUP.
 * @origin is copied. */
void sim_places_record (SimPlaces *pl, const char *group, const char *key,
                        gboolean group_is_new, const SimOrigin *origin);
/* The override that wrote GROUP.KEY, or NULL. */
const SimOrigin *sim_places_origin (const SimPlaces *pl, const char *group,
                                    const char *key);
/* 2: written by an override; 1: on a known line of the file; 0: neither.
 * Of two keys in conflict, the one written last is the one to blame. */
int sim_places_rank (const SimPlaces *pl, const char *group, const char *key);
/* The base of a relative path written at GROUP.KEY: the scenario's
 * directory, the imported file's, or NULL (the current directory) for
 * --set. */
char *sim_places_dir (const SimPlaces *pl, const char *group, const char *key);
/* "FILE:LINE" of GROUP.KEY (or of GROUP's header when the key is not
 * written, @key NULL for the group), the override's origin when one
 * wrote it, else "FILE".  Newly allocated. */
char *sim_places_where (const SimPlaces *pl, const char *group,
                        const char *key);

/* Set @error to "PLACE: GROUP.KEY: MESSAGE (accepted: ACCEPTED)" (no
 * accepted part when @accepted is NULL) and return FALSE. */
gboolean sim_places_key_error (const SimPlaces *pl, GError **error,
                               SimScenarioError code, const char *group,
                               const char *key, const char *accepted,
                               const char *fmt, ...) G_GNUC_PRINTF (7, 8);
/* "PLACE: [GROUP]: MESSAGE", and FALSE. */
gboolean sim_places_group_error (const SimPlaces *pl, GError **error,
                                 SimScenarioError code, const char *group,
                                 const char *fmt, ...) G_GNUC_PRINTF (5, 6);

#endif /* SIM_SCENARIO_PLACE_H */
