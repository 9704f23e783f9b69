/*
 * codec.c — the stored-body codec (formats in codec.h), over zstd and, for
 * the bodies of schema-1 archives, zlib.  zstd's and zlib's return codes are
 * translated to ni_status here and nowhere else.
 *
 * zstd allocates through ni_malloc (ZSTD_customMem), so allocation faults
 * injected by tests reach it; dictionary training (ZDICT) cannot be given an
 * allocator and uses malloc.  Frames are written magicless, without checksum,
 * dictionary id or content size: the body header carries the length and the
 * dictionary id, and a frame written so always starts with a zero frame
 * header descriptor, which the decoder insists on — so a hostile BLOB can
 * only reach zstd's current frame decoder, never its legacy ones.  These
 * choices use zstd's experimental API (ZSTD_STATIC_LINKING_ONLY: magicless
 * frames, custom allocators, fast-cover training with fixed parameters);
 * the frame format itself is zstd's stable one, so stored bodies do not
 * depend on the libzstd version.
 */
#include <string.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zstd_errors.h>
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>

#include "newsindex/alloc.h"
#include "newsindex/codec.h"

#define FORMAT_ZLIB 0x01
#define FORMAT_ZSTD 0x02
#define ZLIB_HEADER_LEN 5
#define ZSTD_HEADER_LEN 9
/* Most text one byte of a zstd frame can stand for: an RLE block is 4 bytes
 * (3 of header) for at most 128 KiB. */
#define ZSTD_MAX_EXPANSION 32768
/* Deflate expands at most 1032:1. */
#define ZLIB_MAX_EXPANSION 1032

struct ni_body_ctx {
    ZSTD_CCtx *cctx; /* made on first compression */
    ZSTD_DCtx *dctx; /* made on first zstd decoding */
};

struct ni_body_dict {
    uint32_t id;
    ZSTD_CDict *cdict; /* NULL for a decode-only dictionary */
    ZSTD_DDict *ddict;
    void *owned; /* the bytes ddict references (ni_body_dict_adopt), or NULL */
};

static void *zstd_alloc(void *opaque, size_t size)
{
    (void)opaque;
    return ni_malloc(size);
}

static void zstd_free(void *opaque, void *ptr)
{
    (void)opaque;
    ni_free(ptr);
}

static const ZSTD_customMem zstd_mem = {zstd_alloc, zstd_free, NULL};

static ni_status zstd_status(size_t r)
{
    return ZSTD_getErrorCode(r) == ZSTD_error_memory_allocation ? NI_ENOMEM : NI_EFORMAT;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v & 0xff);
    p[1] = (unsigned char)((v >> 8) & 0xff);
    p[2] = (unsigned char)((v >> 16) & 0xff);
    p[3] = (unsigned char)((v >> 24) & 0xff);
}

static uint32_t get_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* --- contexts and dictionaries ---------------------------------------- */

ni_status ni_body_ctx_new(ni_body_ctx **out)
{
    *out = ni_calloc(1, sizeof **out);
    return *out ? NI_OK : NI_ENOMEM;
}

static void ctx_clear(ni_body_ctx *ctx)
{
    ZSTD_freeCCtx(ctx->cctx);
    ZSTD_freeDCtx(ctx->dctx);
    ctx->cctx = NULL;
    ctx->dctx = NULL;
}

void ni_body_ctx_free(ni_body_ctx *ctx)
{
    if (!ctx)
        return;
    ctx_clear(ctx);
    ni_free(ctx);
}

static ni_status ctx_cctx(ni_body_ctx *ctx)
{
    if (ctx->cctx)
        return NI_OK;
    ZSTD_CCtx *c = ZSTD_createCCtx_advanced(zstd_mem);
    if (!c)
        return NI_ENOMEM;
    if (ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_format, ZSTD_f_zstd1_magicless)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 0)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_dictIDFlag, 0))) {
        ZSTD_freeCCtx(c);
        return NI_EFORMAT;
    }
    ctx->cctx = c;
    return NI_OK;
}

static ni_status ctx_dctx(ni_body_ctx *ctx)
{
    if (ctx->dctx)
        return NI_OK;
    ZSTD_DCtx *d = ZSTD_createDCtx_advanced(zstd_mem);
    if (!d)
        return NI_ENOMEM;
    if (ZSTD_isError(ZSTD_DCtx_setParameter(d, ZSTD_d_format, ZSTD_f_zstd1_magicless))) {
        ZSTD_freeDCtx(d);
        return NI_EFORMAT;
    }
    ctx->dctx = d;
    return NI_OK;
}

/* zstd's parameters for level, as a dictionary's CDict uses them on bodies.
 * A body is a few KiB compressed alone against the dictionary, so most of
 * the time goes into searching the dictionary's tables, one cache miss per
 * probe.  From level 5 on (greedy and lazier): greedy, matches of 6 bytes or
 * more, and a hash table of twice the dictionary's positions (at least what
 * zstd picks for an input of unknown size).  On 3,000 allsides bodies, level
 * 6, bodydict.c's 512 KiB dictionary: 0.3348x of the text against 0.3368x
 * for lazy, minMatch 6 and zstd's tables one size smaller with the 256 KiB
 * dictionary this replaced; compression -22 % in callgrind's instructions
 * plus cache misses (1,369 M -> 1,061 M estimated cycles on 1,000 bodies).
 * Lazy with the 512 KiB dictionary gave 0.3319x for more CPU than before;
 * greedy with 256 KiB 0.3434x (too big for issue #9's size target). */
static ZSTD_compressionParameters body_cparams(int level, size_t dict_len)
{
    ZSTD_compressionParameters cp = ZSTD_getCParams(level, 0, dict_len);
    if (cp.strategy >= ZSTD_greedy && cp.strategy <= ZSTD_lazy2) {
        cp.strategy = ZSTD_greedy;
        cp.minMatch = 6;
        unsigned log = 1;
        while (log < ZSTD_HASHLOG_MAX && ((size_t)1 << log) < dict_len)
            log++;
        if (log < ZSTD_HASHLOG_MAX)
            log++;
        if (cp.hashLog < log)
            cp.hashLog = log;
    }
    return cp;
}

static ni_status dict_make(uint32_t id, const void *data, size_t len, int level, void *owned,
                           ni_body_dict **out)
{
    *out = NULL;
    if (!id || !data || ZSTD_getDictID_fromDict(data, len) == 0) {
        ni_free(owned);
        return NI_EFORMAT;
    }
    ni_body_dict *d = ni_calloc(1, sizeof *d);
    if (!d) {
        ni_free(owned);
        return NI_ENOMEM;
    }
    d->id = id;
    d->owned = owned;
    d->ddict = ZSTD_createDDict_advanced(data, len, owned ? ZSTD_dlm_byRef : ZSTD_dlm_byCopy,
                                         ZSTD_dct_fullDict, zstd_mem);
    if (d->ddict && level > 0)
        d->cdict = ZSTD_createCDict_advanced(data, len, ZSTD_dlm_byCopy, ZSTD_dct_fullDict,
                                             body_cparams(level, len), zstd_mem);
    if (!d->ddict || (level > 0 && !d->cdict)) {
        ni_body_dict_free(d);
        /* Either an allocation failed or the entropy tables do not parse. */
        size_t r = ZDICT_getDictHeaderSize(data, len);
        return ZDICT_isError(r) && ZSTD_getErrorCode(r) != ZSTD_error_memory_allocation ? NI_EFORMAT
                                                                                        : NI_ENOMEM;
    }
    *out = d;
    return NI_OK;
}

ni_status ni_body_dict_new(uint32_t id, const void *data, size_t len, int level, ni_body_dict **out)
{
    return dict_make(id, data, len, level, NULL, out);
}

ni_status ni_body_dict_adopt(uint32_t id, void *data, size_t len, ni_body_dict **out)
{
    return dict_make(id, data, len, 0, data, out);
}

uint32_t ni_body_dict_id(const ni_body_dict *dict)
{
    return dict ? dict->id : 0;
}

void ni_body_dict_free(ni_body_dict *dict)
{
    if (!dict)
        return;
    ZSTD_freeCDict(dict->cdict);
    ZSTD_freeDDict(dict->ddict);
    ni_free(dict->owned);
    ni_free(dict);
}

ni_status ni_body_dict_train(const char *samples, const size_t *sizes, size_t n, size_t capacity,
                             ni_buf *out)
{
    if (n == 0 || n > UINT32_MAX || capacity < 1024)
        return NI_EFORMAT;
    size_t start = out->len;
    ni_status rc = ni_buf_reserve(out, capacity);
    if (rc)
        return rc;
    /* Fixed fast-cover parameters, not ZDICT_trainFromBuffer's search over
     * them: on 2,000 allsides bodies the search settles on k 537, d 8 and
     * takes 4.8 s; k 512, d 8, accel 4 take 1.1 s for the same dictionary
     * quality (0.335x of the text on 3,000 other bodies, both). */
    ZDICT_fastCover_params_t params;
    memset(&params, 0, sizeof params);
    params.k = 512;
    params.d = 8;
    params.f = 20;
    params.accel = 4;
    size_t r = ZDICT_trainFromBuffer_fastCover(out->data + start, capacity, samples, sizes,
                                               (unsigned)n, params);
    if (ZDICT_isError(r)) {
        out->data[start] = '\0';
        return ZSTD_getErrorCode(r) == ZSTD_error_memory_allocation ? NI_ENOMEM : NI_EFORMAT;
    }
    out->len = start + r;
    out->data[out->len] = '\0';
    return NI_OK;
}

/* --- compression -------------------------------------------------------- */

static ni_status compress_with(ni_body_ctx *ctx, const ni_body_dict *dict, const char *text,
                               size_t len, int level, ni_buf *out)
{
    ni_status rc = ctx_cctx(ctx);
    if (rc)
        return rc;
    size_t r = ZSTD_CCtx_refCDict(ctx->cctx, dict ? dict->cdict : NULL);
    if (!ZSTD_isError(r) && !dict)
        r = ZSTD_CCtx_setParameter(ctx->cctx, ZSTD_c_compressionLevel, level);
    if (ZSTD_isError(r))
        return zstd_status(r);
    unsigned char header[ZSTD_HEADER_LEN] = {FORMAT_ZSTD};
    put_le32(header + 1, (uint32_t)len);
    put_le32(header + 5, dict ? dict->id : 0);
    size_t start = out->len, bound = ZSTD_compressBound(len);
    rc = ni_buf_append(out, header, sizeof header);
    if (!rc)
        rc = ni_buf_reserve(out, bound);
    if (rc) {
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
        return rc;
    }
    r = ZSTD_compress2(ctx->cctx, out->data + out->len, bound, text, len);
    if (ZSTD_isError(r)) {
        ZSTD_CCtx_reset(ctx->cctx, ZSTD_reset_session_only);
        out->len = start;
        out->data[start] = '\0';
        return zstd_status(r);
    }
    out->len += r;
    out->data[out->len] = '\0';
    return NI_OK;
}

ni_status ni_body_compress(ni_body_ctx *ctx, const ni_body_dict *dict, const char *text, size_t len,
                           int level, ni_buf *out)
{
    if (len > NI_BODY_MAX)
        return NI_ELIMIT;
    if (dict && !dict->cdict)
        return NI_EUSAGE;
    if (ctx)
        return compress_with(ctx, dict, text, len, level, out);
    ni_body_ctx tmp = {0};
    ni_status rc = compress_with(&tmp, dict, text, len, level, out);
    ctx_clear(&tmp);
    return rc;
}

/* --- decoding ----------------------------------------------------------- */

uint32_t ni_body_dict_needed(const void *blob, size_t len)
{
    const unsigned char *p = blob;
    if (!p || len < ZSTD_HEADER_LEN || p[0] != FORMAT_ZSTD)
        return 0;
    return get_le32(p + 5);
}

static ni_status inflate_zlib(const unsigned char *p, size_t len, ni_buf *out)
{
    size_t text_len = get_le32(p + 1);
    if (text_len > NI_BODY_MAX || text_len > (len - ZLIB_HEADER_LEN) * ZLIB_MAX_EXPANSION + 64)
        return NI_EFORMAT;
    size_t start = out->len;
    ni_status rc = ni_buf_reserve(out, text_len);
    if (rc)
        return rc;
    uLongf dest_len = (uLongf)text_len;
    int zrc = uncompress((Bytef *)out->data + start, &dest_len, p + ZLIB_HEADER_LEN,
                         (uLong)(len - ZLIB_HEADER_LEN));
    if (zrc != Z_OK || dest_len != text_len) {
        out->data[start] = '\0';
        return zrc == Z_MEM_ERROR ? NI_ENOMEM : NI_EFORMAT;
    }
    out->len = start + text_len;
    out->data[out->len] = '\0';
    return NI_OK;
}

static ni_status inflate_zstd(ni_body_ctx *ctx, const ni_body_dict *dict, const unsigned char *p,
                              size_t len, ni_buf *out)
{
    size_t text_len = get_le32(p + 1), payload = len - ZSTD_HEADER_LEN;
    uint32_t dict_id = get_le32(p + 5);
    /* A frame we wrote starts with a zero descriptor and holds at least a
     * block header; its claimed length must be one such a frame can decode to. */
    if (payload < 4 || p[ZSTD_HEADER_LEN] != 0 || text_len > NI_BODY_MAX ||
        text_len > payload * ZSTD_MAX_EXPANSION)
        return NI_EFORMAT;
    if (dict_id != (dict ? dict->id : 0))
        return NI_ENOTFOUND;
    ni_status rc = ctx_dctx(ctx);
    if (rc)
        return rc;
    size_t start = out->len;
    rc = ni_buf_reserve(out, text_len);
    if (rc)
        return rc;
    /* ZSTD_decompressBegin() forgets the last frame's dictionary, so zstd
     * takes the dictionary for cold and decodes with its prefetching
     * sequence decoder.  With the same dictionary as last time it counts it
     * hot and copies each match from it without prefetching; but a body's
     * matches reach into 512 KiB of dictionary at random, evicted by all
     * a search reads between two bodies.  Warm searches (querybench,
     * allsides): inflate 20.6 % -> 12-13 % of the samples, p50 -15 %. */
    size_t r = ZSTD_DCtx_refDDict(ctx->dctx, dict ? dict->ddict : NULL);
    if (!ZSTD_isError(r))
        r = ZSTD_decompressBegin(ctx->dctx);
    if (!ZSTD_isError(r))
        r = ZSTD_decompressDCtx(ctx->dctx, out->data + start, text_len, p + ZSTD_HEADER_LEN,
                                payload);
    if (ZSTD_isError(r) || r != text_len) {
        if (ZSTD_isError(r))
            ZSTD_DCtx_reset(ctx->dctx, ZSTD_reset_session_only);
        out->data[start] = '\0';
        return ZSTD_isError(r) ? zstd_status(r) : NI_EFORMAT;
    }
    out->len = start + text_len;
    out->data[out->len] = '\0';
    return NI_OK;
}

ni_status ni_body_inflate(ni_body_ctx *ctx, const ni_body_dict *dict, const void *blob, size_t len,
                          ni_buf *out)
{
    const unsigned char *p = blob;
    if (!p || len < 1)
        return NI_EFORMAT;
    if (p[0] == FORMAT_ZLIB && len >= ZLIB_HEADER_LEN)
        return inflate_zlib(p, len, out);
    if (p[0] != FORMAT_ZSTD || len < ZSTD_HEADER_LEN)
        return NI_EFORMAT;
    if (ctx)
        return inflate_zstd(ctx, dict, p, len, out);
    ni_body_ctx tmp = {0};
    ni_status rc = inflate_zstd(&tmp, dict, p, len, out);
    ctx_clear(&tmp);
    return rc;
}
