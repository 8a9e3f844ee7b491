/* sha256.h - SHA-256 (FIPS 180-4): the hashes runs.csv and
 * experiment.ini record of scenario texts, as lowercase hex.
 *
 * The same digests as GLib's GChecksum, in about a fifth fewer
 * instructions (an experiment hashes every replication's scenario, some
 * 4 kB each); and the state is a plain value, so a text's common start
 * is hashed once and the state copied for each ending.
 */
#ifndef SIM_SHA256_H
#define SIM_SHA256_H

#include <glib.h>

/* Hex digits of a digest, without the NUL. */
#define SIM_SHA256_HEX_LEN 64

/* Embeddable, owns no memory; copy it to fork a hash. */
typedef struct SimSha256 {
    guint32 h[8];
    guint64 length;   /* bytes hashed so far */
    guint8 block[64]; /* the last length % 64 bytes, not yet hashed */
} SimSha256;

void sim_sha256_init (SimSha256 *s);
/* Hash @len bytes more. */
void sim_sha256_update (SimSha256 *s, const void *data, gsize len);
/* Finish: the digest as lowercase hex and a NUL into @hex.  @s is spent
 * (init it again to reuse it). */
void sim_sha256_hex (SimSha256 *s, char hex[SIM_SHA256_HEX_LEN + 1]);

/* The digest of the NUL-terminated @text as lowercase hex, what
 * g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1) returns.
 * Newly allocated. */
char *sim_sha256_string (const char *text);

#endif /* SIM_SHA256_H */
