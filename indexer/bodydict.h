/*
 * bodydict.h — interface to code in bodydict.c: the dictionary new bodies
 * are compressed with, and when and from what it is trained.
 *
 * An archive with a dictionary compresses every new body with its newest
 * one.  An archive without collects a sample of bodies: first up to the
 * target from the archive itself (random rows, so an archive written before
 * dictionaries existed, or grown by small runs, gets one too), then the
 * bodies the writer writes, from the plain text in hand.  Once the sample
 * holds the target number of bodies, or SAMPLE_BYTES, it trains a dictionary
 * on the writing thread (under a second for 1,000 news bodies), stores it
 * in the open transaction — so it is committed or lost with the first bodies
 * that use it — and makes it current; the bodies compressed before stay as
 * they are (each names its dictionary, or none).  A run that ends with a
 * smaller sample trains then if the sample reaches a quarter of the target,
 * for the next run's sake; below that (a small archive) there is no
 * dictionary, and no error.  Everything here runs on the writing thread.
 */
#ifndef NEWSINDEX_BODYDICT_H
#define NEWSINDEX_BODYDICT_H

#include <stddef.h>
#include "newsindex/codec.h"
#include "newsindex/store.h"

/* Bodies sampled before training, when the caller does not say. */
#define NI_BODYDICT_SAMPLE 1000

typedef struct ni_bodydict ni_bodydict;

/*
 * Load the archive's newest dictionary, or start a sample of target bodies
 * (0 = NI_BODYDICT_SAMPLE) — and train at once if the archive alone fills
 * it, in the transaction the caller has open.  *out is NULL on failure.
 */
ni_status ni_bodydict_open(ni_store *store, size_t target, ni_bodydict **out, ni_error *err);

/* The dictionary to compress new bodies with; NULL while there is none. */
const ni_body_dict *ni_bodydict_current(const ni_bodydict *bd);

/*
 * Offer a body just written (only sampled while there is no dictionary).
 * When that completes the sample, train and store a dictionary, in the
 * transaction the caller has open, and set *trained (else it is 0).
 */
ni_status ni_bodydict_offer(ni_bodydict *bd, const char *body, size_t len, int *trained,
                            ni_error *err);

/* The run is over: train from a smaller sample if it is big enough (a transaction must be open). */
ni_status ni_bodydict_finish(ni_bodydict *bd, ni_error *err);

/* Accepts NULL. */
void ni_bodydict_free(ni_bodydict *bd);

#endif
