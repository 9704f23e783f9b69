/*
 * wordruns.h — the runs of ASCII letters and digits of a text, found once
 * per article and read by every extractor's tokenizer (speakers, countries,
 * dates), each of which cuts its own tokens.
 *
 * A run is a maximal span of bytes [0-9A-Za-z]; between two runs lie only
 * other bytes (spaces, punctuation, UTF-8 sequences).  Each run carries what
 * the tokenizers used to compute per byte: its shape (which of lower case,
 * upper case and digits it holds) and ni_hash_bytes (hash.h, FNV-1a) of the
 * run folded to lower case, which is also the speaker lexicon's hash
 * (indexer/gen/genlex.py).  Runs are in text order; offsets
 * are 32-bit and a text is scanned up to NI_WORDRUNS_MAX bytes.  An
 * ni_wordruns is reused from text to text: scanning keeps its block.
 */
#ifndef NEWSINDEX_WORDRUNS_H
#define NEWSINDEX_WORDRUNS_H

#include <stddef.h>
#include <stdint.h>
#include "newsindex/status.h"

/* Longest text scanned, in bytes. */
#define NI_WORDRUNS_MAX ((size_t)UINT32_MAX - 1)

/* Shape bits: what a run holds. */
enum { NI_RUN_LOWER = 1, NI_RUN_UPPER = 2, NI_RUN_DIGIT = 4 };

typedef struct {
    uint32_t start, end; /* byte span */
    uint32_t hash;       /* ni_hash_bytes of the run folded to lower case */
    uint32_t shape;      /* NI_RUN_ bits */
} ni_wordrun;

typedef struct {
    ni_wordrun *runs;
    size_t n, cap;
    size_t len; /* bytes scanned: the text's length, at most NI_WORDRUNS_MAX */
} ni_wordruns;

/* The 256-entry byte table behind the scan: NI_RUN_ bits, 0 outside runs. */
extern const unsigned char ni_wordruns_class[256];

void ni_wordruns_init(ni_wordruns *r);
/*
 * Replaces r's runs by those of text[0..min(len, NI_WORDRUNS_MAX)).  On
 * NI_ENOMEM r holds no runs (n 0) and keeps whatever block it had.
 */
ni_status ni_wordruns_scan(ni_wordruns *r, const char *text, size_t len);
void ni_wordruns_free(ni_wordruns *r);

/* The first run at index >= from that does not start before pos (r->n if none). */
static inline size_t ni_wordruns_seek(const ni_wordruns *r, size_t from, size_t pos)
{
    while (from < r->n && r->runs[from].start < pos)
        from++;
    return from;
}

#endif
