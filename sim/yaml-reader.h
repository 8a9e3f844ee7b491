/* yaml-reader.h - Kubernetes manifests read with libyaml into trees of
 * nodes that remember their line and column.
 *
 * A stream holds the documents of every input given to it: a file (its
 * documents separated by `---`), a directory (each .yaml/.yml in it, in
 * sorted order, not recursing), or "-" for standard input.  Empty
 * documents (a Helm template that rendered to nothing) are dropped; a
 * `kind: List` is left as it is (import.c opens it).
 *
 * Only what Kubernetes' own YAML reader accepts is kept: scalar keys,
 * unique within a mapping; anchors, aliases and merge keys (`<<: *base`)
 * are resolved by sharing the anchored node, never by copying it.  An
 * alias can therefore make a document much larger than its text (the
 * "billion laughs"): every node carries its weight - its size with the
 * aliases expanded - and a document heavier than the limit is refused
 * before anything walks it.  So are a file, or a document, larger than
 * its byte limit, and nesting deeper than the depth limit (the walks that
 * follow recurse).  Every failure is SIM_YAML_ERROR with a message that
 * starts "FILE:LINE:COLUMN: ".
 *
 * Nodes are owned by the stream, freed with it; the stream is never
 * changed once read.
 */
#ifndef SIM_YAML_READER_H
#define SIM_YAML_READER_H

#include <glib.h>

#define SIM_YAML_ERROR (sim_yaml_error_quark ())
GQuark sim_yaml_error_quark (void);
typedef enum {
    SIM_YAML_ERROR_IO,     /* a file or directory cannot be read */
    SIM_YAML_ERROR_SYNTAX, /* not YAML, or not what Kubernetes reads */
    SIM_YAML_ERROR_LIMIT,  /* over a size, weight or depth limit */
} SimYamlError;

typedef enum {
    SIM_YAML_SCALAR,
    SIM_YAML_SEQUENCE,
    SIM_YAML_MAPPING,
} SimYamlKind;

typedef struct SimYamlNode SimYamlNode;
struct SimYamlNode {
    SimYamlKind kind;
    guint line, column; /* 1-based, of the node's first character */
    /* Scalars: the value (NUL-terminated; may hold no NUL, libyaml
     * refuses control characters), and whether it was written plain,
     * so that its type comes from its text (a quoted "3" is a string). */
    char *text;
    gboolean plain;
    /* Sequences: n items.  Mappings: n pairs, items[2i] the key (a
     * scalar) and items[2i+1] its value, merge keys already applied
     * (the mapping's own pairs first, in file order, then the merged
     * ones it does not override). */
    guint n;
    SimYamlNode **items;
    guint64 weight; /* nodes with aliases expanded (saturating) */
};

typedef struct SimYamlDoc {
    const char *file; /* as named to the user; "(stdin)" for "-" */
    guint index;      /* 1-based, within the file */
    const SimYamlNode *root;
} SimYamlDoc;

/* The limits of one stream: per file, per document, in all. */
typedef struct SimYamlLimits {
    gsize file_bytes;
    gsize doc_bytes;
    guint64 doc_weight;
    guint64 total_weight;
    guint depth;
} SimYamlLimits;

/* The defaults: 256 MiB a file, 8 MiB a document (Kubernetes stores no
 * object above 1.5 MiB), a million nodes a document and 16 million in
 * all with aliases expanded, nesting 200 deep. */
extern const SimYamlLimits sim_yaml_default_limits;

typedef struct SimYamlStream SimYamlStream;

SimYamlStream *sim_yaml_stream_new (const SimYamlLimits *limits);
void sim_yaml_stream_free (SimYamlStream *st); /* NULL ok */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimYamlStream, sim_yaml_stream_free)

/* Read @len bytes of YAML named @name in messages.  On error the stream
 * keeps the documents of earlier inputs only. */
gboolean sim_yaml_stream_add_data (SimYamlStream *st, const char *name,
                                   const char *data, gsize len, GError **error);
/* Read a file, a directory or "-" (standard input). */
gboolean sim_yaml_stream_add_path (SimYamlStream *st, const char *path,
                                   GError **error);

guint sim_yaml_stream_n_docs (const SimYamlStream *st);
const SimYamlDoc *sim_yaml_stream_doc (const SimYamlStream *st, guint i);

/* --- Reading nodes (each accepts NULL and answers "absent") ---------------- */

/* The value of @key in mapping @map, or NULL (also when @map is not a
 * mapping). */
const SimYamlNode *sim_yaml_get (const SimYamlNode *map, const char *key);
/* Follow a dotted path of mapping keys: "spec.template.spec". */
const SimYamlNode *sim_yaml_path (const SimYamlNode *node, const char *path);
/* Null: absent, `~`, `null`, or an empty plain scalar. */
gboolean sim_yaml_is_null (const SimYamlNode *n);
/* A scalar's text, or NULL for anything else or null. */
const char *sim_yaml_text (const SimYamlNode *n);
/* A plain scalar that is a decimal integer (YAML's 0x and 0o forms
 * too); FALSE for anything else, a quoted "3" included. */
gboolean sim_yaml_int (const SimYamlNode *n, gint64 *out);
/* true/false (and the YAML 1.1 words Kubernetes' reader takes: yes, no,
 * on, off, in any case), plain only. */
gboolean sim_yaml_bool (const SimYamlNode *n, gboolean *out);
/* What a node is, for messages: "a mapping", "a string", "an integer",
 * "null", ... (static). */
const char *sim_yaml_describe (const SimYamlNode *n);

#endif /* SIM_YAML_READER_H */
