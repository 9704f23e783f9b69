/*
 * test_reader.c — the dump readers (indexer/reader*.c).
 *
 * Table-driven: each case is a small file, written by the test into a
 * mkdtemp() folder (plain or gzip-compressed), or one of the broken inputs in
 * corpus/bad/, with the exact sequence of results ni_reader_next must give:
 * status, line, every article field, the repaired flag, and a piece of the
 * error text.  Hostile inputs too big to keep in the tree (a 100 MB+ line, a
 * gzip bomb, 10^6 nested brackets) are generated on the fly and deleted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>
#include <zlib.h>

#include "reader.h"
#include "reader_int.h"
#include "newsindex/alloc.h"
#include "newsindex/utf8.h"

#define ANY ((const char *)1) /* a field the case does not check */
#define R "\xEF\xBF\xBD"      /* U+FFFD */
#define END                                                                                        \
    {                                                                                              \
        NI_ENOTFOUND, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL                \
    }

typedef struct {
    ni_status rc;
    unsigned long line;
    unsigned long record; /* 0: not checked */
    const char *uid, *title, *body, *date, *url, *source, *authors, *language;
    int repaired;
    const char *err; /* a substring of the error text */
} expect;

/* A successful record: the fields in the order of the struct. */
#define OK(line, rec, uid, title, body, date, url, source, authors, lang)                          \
    {                                                                                              \
        NI_OK, line, rec, uid, title, body, date, url, source, authors, lang, 0, NULL              \
    }
#define OKR(line, rec, uid, title, body)                                                           \
    {                                                                                              \
        NI_OK, line, rec, uid, title, body, ANY, ANY, ANY, ANY, ANY, 1, NULL                       \
    }
#define OKT(line, rec, uid, title, body)                                                           \
    {                                                                                              \
        NI_OK, line, rec, uid, title, body, ANY, ANY, ANY, ANY, ANY, 0, NULL                       \
    }
#define BAD(rc, line, msg)                                                                         \
    {                                                                                              \
        rc, line, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, msg                        \
    }

typedef struct {
    const char *name;
    const char *file; /* in the temp folder; "corpus/bad/..." for shipped files */
    const char *data; /* NULL for corpus files */
    int gz;
    expect out[10]; /* up to and including the final NI_ENOTFOUND */
} reader_case;

static char tmpdir[] = "/tmp/ni-test-reader-XXXXXX";

static void path_for(char *out, size_t size, const char *file)
{
    if (strncmp(file, "corpus/", 7) == 0)
        snprintf(out, size, "%s/%s", NI_SOURCE_DIR, file);
    else
        snprintf(out, size, "%s/%s", tmpdir, file);
}

static void write_file(const char *path, const void *data, size_t len, int gz)
{
    if (gz) {
        gzFile g = gzopen(path, "wb");
        assert_non_null(g);
        if (len)
            assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
        assert_int_equal(gzclose(g), Z_OK);
    } else {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        if (len)
            assert_int_equal(fwrite(data, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
    }
}

static void check_field(const char *what, const char *got, const char *want)
{
    if (want == ANY)
        return;
    if (!want) {
        if (got)
            fail_msg("%s: expected NULL, got \"%s\"", what, got);
        return;
    }
    if (!got)
        fail_msg("%s: expected \"%s\", got NULL", what, want);
    if (strcmp(got, want) != 0)
        fail_msg("%s: expected \"%s\", got \"%s\"", what, want, got);
}

/* Read path to the end and compare with out[] (which ends with NI_ENOTFOUND). */
static void expect_results(const char *name, const char *path, const ni_reader_options *opts,
                           const expect *out)
{
    ni_reader *r = NULL;
    ni_error err = {{0}};
    ni_status rc = ni_reader_open(path, opts, &r, &err);
    if (rc)
        fail_msg("%s: open failed: %s", name, err.msg);
    for (size_t i = 0;; i++) {
        ni_article a = {0};
        unsigned long line = 0;
        int repaired = -1;
        err.msg[0] = '\0';
        rc = ni_reader_next(r, &a, &line, &repaired, &err);
        const expect *e = &out[i];
        if (rc != e->rc)
            fail_msg("%s: result %zu: status %s (%s), expected %s", name, i,
                     ni_status_to_string(rc), err.msg, ni_status_to_string(e->rc));
        if (rc == NI_ENOTFOUND) {
            /* the end is sticky */
            assert_int_equal(ni_reader_next(r, &a, &line, &repaired, &err), NI_ENOTFOUND);
            break;
        }
        if (e->line && line != e->line)
            fail_msg("%s: result %zu: line %lu, expected %lu", name, i, line, e->line);
        if (rc == NI_OK) {
            assert_int_equal(a.line, line);
            if (e->record)
                assert_int_equal(a.record, e->record);
            check_field("uid", a.uid, e->uid);
            check_field("title", a.title, e->title);
            check_field("body", a.body, e->body);
            check_field("date", a.date_raw, e->date);
            check_field("url", a.url, e->url);
            check_field("source", a.source, e->source);
            check_field("authors", a.authors, e->authors);
            check_field("language", a.language, e->language);
            assert_non_null(a.title);
            assert_non_null(a.body);
            assert_int_equal(a.body_len, strlen(a.body));
            if (repaired != e->repaired)
                fail_msg("%s: result %zu: repaired %d, expected %d", name, i, repaired,
                         e->repaired);
        } else {
            assert_int_equal(repaired, 0);
            if (e->err && !strstr(err.msg, e->err))
                fail_msg("%s: result %zu: error \"%s\" lacks \"%s\"", name, i, err.msg, e->err);
            if (strstr(err.msg, tmpdir) || strstr(err.msg, "corpus/bad"))
                fail_msg("%s: error text names the path: %s", name, err.msg);
        }
        ni_article_clear(&a);
    }
    ni_reader_close(r);
}

static void run_cases(const reader_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const reader_case *c = &cases[i];
        char path[512];
        path_for(path, sizeof path, c->file);
        if (c->data)
            write_file(path, c->data, strlen(c->data), c->gz);
        expect_results(c->name, path, NULL, c->out);
        if (c->data)
            unlink(path);
    }
}

/* ---- JSON Lines -------------------------------------------------------- */

static const reader_case jsonl_cases[] = {
    {"all canonical fields",
     "a.jsonl",
     "{\"id\":\"A1\",\"title\":\" T1 \",\"body\":\" B1\\n\",\"date\":\"2024-01-30\","
     "\"url\":\"https://x/1\",\"source\":\"Wire\",\"authors\":\"Ann Lee\",\"language\":\"en\"}\n",
     0,
     {OK(1, 1, "A1", "T1", " B1\n", "2024-01-30", "https://x/1", "Wire", "Ann Lee", "en"), END}},
    {"aliases: headline text published link source_domain author uid lang",
     "b.ndjson",
     "{\"uid\":\"U\",\"headline\":\"H\",\"text\":\"X\",\"published\":\"P\",\"link\":\"L\","
     "\"source_domain\":\"S\",\"author\":\"Au\",\"lang\":\"de\"}\n",
     0,
     {OK(1, 1, "U", "H", "X", "P", "L", "S", "Au", "de"), END}},
    {"aliases: content date_publish publisher byline guid; maintext pubDate site _id",
     "c.jsonl",
     "{\"guid\":\"G\",\"title\":\"t\",\"content\":\"C\",\"date_publish\":\"D\",\"publisher\":"
     "\"Pu\","
     "\"byline\":\"By\"}\n"
     "{\"_id\":\"I\",\"title\":\"t\",\"maintext\":\"M\",\"pubDate\":\"PD\",\"site\":\"Si\"}\n"
     "{\"title\":\"t\",\"article\":\"Ar\",\"published_at\":\"PA\",\"url\":\"u\"}\n"
     "{\"title\":\"t\",\"body\":\"b\",\"datetime\":\"DT\"}\n"
     "{\"title\":\"t\",\"articleBody\":\"AB\",\"publishedAt\":\"PAt\"}\n",
     0,
     {OK(1, 1, "G", "t", "C", "D", NULL, "Pu", "By", NULL),
      OK(2, 2, "I", "t", "M", "PD", NULL, "Si", NULL, NULL),
      OK(3, 3, "u", "t", "Ar", "PA", "u", NULL, NULL, NULL),
      OK(4, 4, NULL, "t", "b", "DT", NULL, NULL, NULL, NULL),
      OK(5, 5, NULL, "t", "AB", "PAt", NULL, NULL, NULL, NULL), END}},
    {"first alias wins; null, empty and blank values count as absent",
     "d.jsonl",
     "{\"headline\":\"second\",\"title\":\"first\",\"text\":\"T\",\"body\":null,"
     "\"link\":\"L\",\"url\":\"\",\"author\":\"A\",\"authors\":\"  \"}\n"
     "{\"title\":\"x\",\"body\":\"b\",\"date\":\"D\",\"published\":\"P\",\"id\":\"i\",\"guid\":"
     "\"g\"}\n",
     0,
     {OK(1, 1, "L", "first", "T", NULL, "L", NULL, "A", NULL),
      OK(2, 2, "i", "x", "b", "D", NULL, NULL, NULL, NULL), END}},
    {"keys are case-insensitive",
     "e.jsonl",
     "{\"Title\":\"T\",\"BODY\":\"B\",\"URL\":\"U\",\"PubDate\":\"D\"}\n",
     0,
     {OK(1, 1, "U", "T", "B", "D", "U", NULL, NULL, NULL), END}},
    {"numbers: epoch date and numeric id; wrong-typed metadata ignored",
     "f.jsonl",
     "{\"id\":12345,\"title\":\"t\",\"body\":\"b\",\"date\":1706608800,\"url\":5,\"lang\":[]}\n"
     "{\"id\":1.5,\"title\":\"t\",\"body\":\"b\",\"published\":1706608800.25}\n",
     0,
     {OK(1, 1, "12345", "t", "b", "1706608800", NULL, NULL, NULL, NULL),
      OK(2, 2, "1.5", "t", "b", "1706608800.25", NULL, NULL, NULL, NULL), END}},
    {"authors arrays, wrapped values, body paragraphs",
     "g.jsonl",
     "{\"title\":\"t\",\"body\":\"b\",\"authors\":[\"Ann\",\"\",\"Bo\",3,\"Cy\"]}\n"
     "{\"title\":{\"rendered\":\"WP\"},\"content\":{\"rendered\":\"<p>x</p>\"},"
     "\"source\":{\"id\":null,\"name\":\"CNN\"},\"author\":[{\"name\":\"Dee\"},{\"name\":\"Eve\"}]}"
     "\n"
     "{\"headline\":{\"main\":\"NYT\"},\"byline\":{\"original\":\"By Fay\"},"
     "\"body\":[\"P1\",\"P2\"]}\n",
     0,
     {OK(1, 1, NULL, "t", "b", NULL, NULL, NULL, "Ann, Bo, Cy", NULL),
      OK(2, 2, NULL, "WP", "<p>x</p>", NULL, NULL, "CNN", "Dee, Eve", NULL),
      OK(3, 3, NULL, "NYT", "P1\n\nP2", NULL, NULL, NULL, "By Fay", NULL), END}},
    {"title only, body only",
     "h.jsonl",
     "{\"title\":\"only title\"}\n{\"body\":\"only body\"}\n",
     0,
     {OKT(1, 1, NULL, "only title", ""), OKT(2, 2, NULL, "", "only body"), END}},
    {"BOM, CRLF, blank lines, no final newline",
     "i.jsonl",
     "\xEF\xBB\xBF{\"title\":\"one\"}\r\n\r\n   \n{\"title\":\"two\"}\r\n\n{\"title\":\"three\"}",
     0,
     {OKT(1, 1, NULL, "one", ""), OKT(4, 2, NULL, "two", ""), OKT(6, 3, NULL, "three", ""), END}},
    {"escapes: \\u0000 dropped, lone surrogates replaced, pairs kept",
     "j.jsonl",
     "{\"title\":\"a\\u0000b\",\"body\":\"x\"}\n"
     "{\"title\":\"s\\ud800t\",\"body\":\"\\udc00\"}\n"
     "{\"title\":\"\\ud83d\\ude00\",\"body\":\"\\\\ud800 is text\"}\n",
     0,
     {OKR(1, 1, NULL, "ab", "x"), OKR(2, 2, NULL, "s" R "t", R),
      OKT(3, 3, NULL, "\xF0\x9F\x98\x80", "\\ud800 is text"), END}},
    {"invalid UTF-8 repaired",
     "k.jsonl",
     "{\"title\":\"caf\xE9\",\"body\":\"over\xC0\xAFlong \xED\xA0\x80 sur\"}\n"
     "{\"title\":\"fine\"}\n",
     0,
     {OKR(1, 1, NULL, "caf" R, "over" R R "long " R R R " sur"), OKT(2, 2, NULL, "fine", ""), END}},
    {"gzip-compressed JSON Lines",
     "l.jsonl.gz",
     "{\"id\":\"z1\",\"title\":\"gz one\",\"body\":\"b\"}\n{\"id\":\"z2\",\"title\":\"gz two\"}\n",
     1,
     {OKT(1, 1, "z1", "gz one", "b"), OKT(2, 2, "z2", "gz two", ""), END}},
    {"bad records between good ones",
     "m.jsonl",
     "{\"title\":\"ok\"}\n{\"title\": nope}\n[1]\n\"s\"\n{\"url\":\"u\"}\n"
     "{\"title\":\"t\",\"body\":{}}\n{\"title\":\"t\",\"text\":7}\n{\"title\":\"last\"}\n",
     0,
     {OKT(1, 1, NULL, "ok", ""), BAD(NI_EFORMAT, 2, "malformed JSON at column"),
      BAD(NI_EFORMAT, 3, "is an array, not an object"),
      BAD(NI_EFORMAT, 4, "is a string, not an object"),
      BAD(NI_EFORMAT, 5, "neither a title nor a body"),
      BAD(NI_EFORMAT, 6, "field \"body\" is an object, not a string"),
      BAD(NI_EFORMAT, 7, "field \"text\" is a number, not a string"), OKT(8, 8, NULL, "last", ""),
      END}},
    {"Elasticsearch hits (_source)",
     "es.jsonl",
     "{\"_index\":\"news\",\"_id\":\"es-1\",\"_source\":{\"title\":\"T\",\"url\":\"u\"}}\n"
     "{\"_id\":\"es-2\",\"_source\":{\"id\":\"inner\",\"body\":\"B\"}}\n"
     "{\"_source\":{\"title\":\"no ids\",\"link\":\"L\"}}\n"
     "{\"_id\":\"es-4\",\"_source\":{\"url\":\"x\"}}\n"
     "{\"_source\":{\"_source\":{\"title\":\"too deep\"}}}\n",
     0,
     {OKT(1, 1, "es-1", "T", ""), OKT(2, 2, "inner", "", "B"), OKT(3, 3, "L", "no ids", ""),
      BAD(NI_EFORMAT, 4, "neither a title nor a body"),
      BAD(NI_EFORMAT, 5, "neither a title nor a body"), END}},
    {"only blank lines", "n.jsonl", "\n \n", 0, {BAD(NI_EFORMAT, 1, "empty file"), END}},
    {"empty gzip file", "o.jsonl.gz", "", 1, {BAD(NI_EFORMAT, 1, "empty file"), END}},
    {"gzip NDJSON", "p.ndjson.gz", "{\"title\":\"nd\"}\n", 1, {OKT(1, 1, NULL, "nd", ""), END}},
    {"gzip data under a plain name",
     "q.jsonl",
     "{\"title\":\"zipped anyway\"}\n",
     1,
     {OKT(1, 1, NULL, "zipped anyway", ""), END}},
    {"plain data under a .gz name",
     "r.jsonl.gz",
     "{\"title\":\"not zipped\"}\n",
     0,
     {OKT(1, 1, NULL, "not zipped", ""), END}},
};

/* ---- .json: objects and arrays ----------------------------------------- */

static const reader_case json_cases[] = {
    {"one pretty-printed object",
     "a.json",
     "{\n  \"id\": \"J1\",\n  \"title\": \"Single\",\n  \"body\": \"Body\"\n}\n",
     0,
     {OKT(1, 1, "J1", "Single", "Body"), END}},
    {"an array, element lines",
     "b.json",
     "[\n  {\"title\": \"first\"},\n\n  {\n    \"title\": \"second\"\n  }\n]\n",
     0,
     {OKT(2, 1, NULL, "first", ""), OKT(4, 2, NULL, "second", ""), END}},
    {"gzip array, trailing comma, concatenated values",
     "c.json.gz",
     "[{\"title\":\"a\"},{\"title\":\"b\"},]{\"title\":\"c\"}\n[{\"title\":\"d\"}]",
     1,
     {OKT(1, 1, NULL, "a", ""), OKT(1, 2, NULL, "b", ""), OKT(1, 3, NULL, "c", ""),
      OKT(2, 4, NULL, "d", ""), END}},
    {"brackets and quotes inside strings",
     "d.json",
     "[{\"title\":\"a ] } [ \\\" {\",\"body\":\"\\\\\"},{\"title\":\"b\"}]",
     0,
     {OKT(1, 1, NULL, "a ] } [ \" {", "\\"), OKT(1, 2, NULL, "b", ""), END}},
    {"bad elements are skipped",
     "e.json",
     "[\n{\"title\":\"a\",\"body\":[1,2},\n{\"title\":\"b\"},\n7,\n{\"title\" \"x\"},\n"
     "{\"title\":\"c\"}\n]",
     0,
     {BAD(NI_EFORMAT, 2, "malformed JSON at line 2"), OKT(3, 2, NULL, "b", ""),
      BAD(NI_EFORMAT, 4, "is a number, not an object"),
      BAD(NI_EFORMAT, 5, "malformed JSON at line 5, column"), OKT(6, 5, NULL, "c", ""), END}},
    {"empty array", "f.json", " [ ] ", 0, {END}},
    {"a top-level scalar", "g.json", "42", 0, {BAD(NI_EFORMAT, 1, "expected a JSON object"), END}},
    {"garbage after an element",
     "h.json",
     "[{\"title\":\"a\"} x {\"title\":\"b\"}]",
     0,
     {OKT(1, 1, NULL, "a", ""), BAD(NI_EFORMAT, 1, "expected ',' or ']'"), END}},
    {"unterminated array",
     "i.json",
     "[{\"title\":\"a\"},\n",
     0,
     {OKT(1, 1, NULL, "a", ""), BAD(NI_EFORMAT, 2, "end of file inside an array"), END}},
    {"empty .json", "j.json", "  \n", 0, {BAD(NI_EFORMAT, 1, "empty file"), END}},
    {"binary .json",
     "k.json",
     "\x7f"
     "ELF\x02\x01\x01\x03\x04\x05\x06",
     0,
     {BAD(NI_EFORMAT, 1, "binary file"), END}},
    {"KOI8-R text",
     "l.txt",
     "\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2! \xfc\xd4\xcf \xd4\xc5\xcb\xd3\xd4 \xce\xc1 "
     "\xd2\xd5\xd3\xd3\xcb\xcf\xcd \xd1\xda\xd9\xcb\xc5.\n",
     0,
     {BAD(NI_EFORMAT, 1, "not UTF-8 text"), END}},
    {"binary .txt",
     "k.txt",
     "\x89PNG\r\n\x1a\n\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\xff\xfe",
     0,
     {BAD(NI_EFORMAT, 1, "binary file"), END}},
};

/* ---- .txt ----------------------------------------------------------------- */

static const reader_case txt_cases[] = {
    {"full header block",
     "a.txt",
     "Title: Talks stall\nDate: 2024-01-30\nSource: Newswire\nURL: https://n/1\n"
     "Author: Ann Lee\nLanguage: en\n\nTOKYO - The talks stalled.\n\nSecond paragraph.\n\n",
     0,
     {OK(1, 1, "https://n/1", "Talks stall", "TOKYO - The talks stalled.\n\nSecond paragraph.",
         "2024-01-30", "https://n/1", "Newswire", "Ann Lee", "en"),
      END}},
    {"ID, repeated authors, case-insensitive keys",
     "b.txt",
     "TITLE: T\nid: X-1\nAuthor: A\nauthors: B\nBYLINE: C\nLang: fr\nTags: x, y\n\nBody.\n",
     0,
     {OK(1, 1, "X-1", "T", "Body.", NULL, NULL, NULL, "A, B, C", "fr"), END}},
    {"no header: first line is the title",
     "c.txt",
     "\n\nThe title line\n\nBody one.\nBody two.\n",
     0,
     {OK(1, 1, NULL, "The title line", "Body one.\nBody two.", NULL, NULL, NULL, NULL, NULL), END}},
    {"header without a title",
     "d.txt",
     "Date: 1986-04-26\nSource: Wire\n\nHeadline here\nText.\n",
     0,
     {OK(1, 1, NULL, "Headline here", "Text.", "1986-04-26", NULL, "Wire", NULL, NULL), END}},
    {"header ended by text, not a blank line; CRLF",
     "e.txt",
     "Title: T\r\nDate: D\r\nWASHINGTON: It began.\r\nMore.\r\n",
     0,
     {OK(1, 1, NULL, "T", "WASHINGTON: It began.\r\nMore.", "D", NULL, NULL, NULL, NULL), END}},
    {"an unknown key is not a header",
     "f.txt",
     "Note: this is prose\nand more prose\n",
     0,
     {OKT(1, 1, NULL, "Note: this is prose", "and more prose"), END}},
    {"header only, nothing else",
     "g.txt",
     "Date: 2020-01-01\nSource: S\n\n\n",
     0,
     {BAD(NI_EFORMAT, 1, "neither a title nor a body"), END}},
    {"gzip text, UID header",
     "h.txt.gz",
     "Title: Z\nURL: https://z\nUID: z-9\nPublished: 2001\nPublisher: P\n\nzipped\n",
     1,
     {OK(1, 1, "z-9", "Z", "zipped", "2001", "https://z", "P", NULL, NULL), END}},
    {"whitespace only", "i.txt", " \n\t\n", 0, {BAD(NI_EFORMAT, 1, "empty file"), END}},
    {"invalid UTF-8 repaired",
     "j.txt",
     "Title: caf\xE9\n\n\xFF body\n",
     0,
     {OKR(1, 1, NULL, "caf" R, R " body"), END}},
};

/* ---- corpus/bad --------------------------------------------------------- */

static const reader_case bad_cases[] = {
    {"malformed.jsonl",
     "corpus/bad/malformed.jsonl",
     NULL,
     0,
     {OKT(1, 1, "bad-good-1", "Good record 1", ANY), BAD(NI_EFORMAT, 2, "malformed JSON at column"),
      OKT(3, 3, "bad-good-2", ANY, ANY), BAD(NI_EFORMAT, 4, "malformed JSON at column"),
      OKT(5, 5, "bad-good-3", ANY, ANY), END}},
    {"invalid_utf8.jsonl",
     "corpus/bad/invalid_utf8.jsonl",
     NULL,
     0,
     {OKR(1, 1, "u1", "Caf" R, "Latin-1 " R " in UTF-8 text"),
      OKR(2, 2, "u2", "Overlong", "slash " R R " here"),
      OKR(3, 3, "u3", "Surrogate", "lone " R R R " surrogate"),
      OKR(4, 4, "u4", "Truncated " R, "euro sign cut"), END}},
    {"invalid_utf8.txt",
     "corpus/bad/invalid_utf8.txt",
     NULL,
     0,
     {OKR(1, 1, NULL, "Caf" R " society", "The body has a Latin-1 " R " and an overlong " R R "."),
      END}},
    {"binary.jsonl", "corpus/bad/binary.jsonl", NULL, 0, {BAD(NI_EFORMAT, 1, "binary file"), END}},
    {"empty.jsonl", "corpus/bad/empty.jsonl", NULL, 0, {BAD(NI_EFORMAT, 1, "empty file"), END}},
    {"empty.txt", "corpus/bad/empty.txt", NULL, 0, {BAD(NI_EFORMAT, 1, "empty file"), END}},
    {"blank.jsonl", "corpus/bad/blank.jsonl", NULL, 0, {BAD(NI_EFORMAT, 1, "empty file"), END}},
    {"truncated.jsonl.gz",
     "corpus/bad/truncated.jsonl.gz",
     NULL,
     0,
     {OKT(1, 1, "bad-good-1", ANY, ANY), OKT(2, 2, "bad-good-2", ANY, ANY),
      BAD(NI_EIO, 3, "truncated gzip"), END}},
    {"array_bad_element.json",
     "corpus/bad/array_bad_element.json",
     NULL,
     0,
     {OKT(2, 1, "bad-good-1", ANY, ANY), BAD(NI_EFORMAT, 3, "malformed JSON at line 3"),
      BAD(NI_EFORMAT, 4, "is a number, not an object"),
      BAD(NI_EFORMAT, 5, "neither a title nor a body"), OKT(6, 5, "bad-good-2", ANY, ANY), END}},
    {"body_not_string.jsonl",
     "corpus/bad/body_not_string.jsonl",
     NULL,
     0,
     {BAD(NI_EFORMAT, 1, "field \"body\" is an object"),
      BAD(NI_EFORMAT, 2, "field \"body\" is a number"), OKT(3, 3, "bad-good-1", ANY, ANY),
      BAD(NI_EFORMAT, 4, "field \"title\" is a boolean"), END}},
    {"not_object.jsonl",
     "corpus/bad/not_object.jsonl",
     NULL,
     0,
     {BAD(NI_EFORMAT, 1, "is an array, not an object"),
      BAD(NI_EFORMAT, 2, "is a string, not an object"), OKT(3, 3, "bad-good-1", ANY, ANY),
      BAD(NI_EFORMAT, 4, "is a number, not an object"), BAD(NI_EFORMAT, 5, "is null"), END}},
    {"no_title_body.jsonl",
     "corpus/bad/no_title_body.jsonl",
     NULL,
     0,
     {BAD(NI_EFORMAT, 1, "neither a title nor a body"),
      BAD(NI_EFORMAT, 2, "neither a title nor a body"), OKT(3, 3, "bad-good-1", ANY, ANY), END}},
    {"nul_byte.jsonl",
     "corpus/bad/nul_byte.jsonl",
     NULL,
     0,
     {OKT(1, 1, "bad-good-1", ANY, ANY), BAD(NI_EFORMAT, 2, "NUL byte"),
      OKT(3, 3, "bad-good-2", ANY, ANY), END}},
    {"truncated.json",
     "corpus/bad/truncated.json",
     NULL,
     0,
     {OKT(2, 1, "bad-good-1", ANY, ANY), BAD(NI_EFORMAT, 3, "end of file inside"), END}},
    {"utf16.txt", "corpus/bad/utf16.txt", NULL, 0, {BAD(NI_EFORMAT, 1, "binary file"), END}},
    {"bad_crc.jsonl.gz",
     "corpus/bad/bad_crc.jsonl.gz",
     NULL,
     0,
     {BAD(NI_EIO, 1, "corrupt gzip data: incorrect data check"), END}},
    {"not_gzip.jsonl.gz",
     "corpus/bad/not_gzip.jsonl.gz",
     NULL,
     0,
     {BAD(NI_EIO, 1, "corrupt gzip data: unknown compression method"), END}},
};

static void test_jsonl(void **state)
{
    (void)state;
    run_cases(jsonl_cases, sizeof jsonl_cases / sizeof jsonl_cases[0]);
}

static void test_json(void **state)
{
    (void)state;
    run_cases(json_cases, sizeof json_cases / sizeof json_cases[0]);
}

static void test_txt(void **state)
{
    (void)state;
    run_cases(txt_cases, sizeof txt_cases / sizeof txt_cases[0]);
}

static void test_corpus_bad(void **state)
{
    (void)state;
    run_cases(bad_cases, sizeof bad_cases / sizeof bad_cases[0]);
}

/* ---- the fast JSON path agrees with jansson ------------------------------ */

static const struct {
    const char *json;
    int fast; /* the fast path must take it (1) or leave it to jansson (0) */
} fast_cases[] = {
    {"{\"title\":\"a\",\"body\":\"b\"}", 1},
    {" { \"title\" : \"t\" ,\r\n \"body\" : \"b\" } ", 1},
    {"{\"title\":\"x\\\"y\\\\z\\/w\",\"body\":\"l1\\nl2\\tt\\r\\b\\f\"}", 1},
    {"{\"title\":\"\\u00e9\\u20AC\\ud83d\\ude00\",\"body\":\"\\u0041\"}", 1},
    {"{\"TITLE\":\"a\",\"Body\":\"b\",\"PubDate\":\"d\"}", 1},
    {"{\"headline\":\"h\",\"title\":\"t\",\"text\":\"x\",\"body\":\"b\"}", 1},
    {"{\"title\":\"a\",\"title\":\"b\"}", 0},
    {"{\"title\":\"a\",\"Title\":null}", 0},
    {"{\"title\":\"  \",\"headline\":\" h \",\"body\":\"\\n\\t \"}", 1},
    {"{\"id\":123,\"date\":-5,\"title\":\"t\",\"url\":\"u\"}", 1},
    {"{\"meta\":{\"a\":[1,2,{\"b\":null}],\"c\":true,\"d\":false},\"title\":\"t\",\"x\":-1.5}", 1},
    {"{\"title\":null,\"headline\":\"h\",\"url\":null}", 1},
    {"{\"a\":[],\"b\":{},\"c\":\"\",\"body\":\"  keep  \"}", 1},
    {"{}", 0},
    {"{\"url\":\"u\",\"id\":\"i\"}", 0},
    {"{\"id\":\"  i d  "
     "\",\"guid\":\"g\",\"author\":\"A\",\"lang\":\"en\",\"site\":\"s\",\"body\":\"b\"}",
     1},
    {"{\"title\":\"\\u0020\\u000a\",\"headline\":\"\\u00a0\",\"body\":\"b\"}", 1},
    {"{\"id\":1.5,\"title\":\"t\"}", 0},
    {"{\"title\":\"t\",\"x\":1e999}", 0},
    {"{\"title\":\"t\",\"x\":123456789012345678901234}", 0},
    {"{\"id\":12345678901234567890,\"title\":\"t\"}", 0},
    {"{\"title\":\"t\",\"authors\":[\"a\",\" \",\"b\\u00e9\",\"\\n\"],\"author\":\"no\"}", 1},
    {"{\"title\":\"t\",\"authors\":[],\"author\":\"yes\"}", 1},
    {"{\"title\":\"t\",\"authors\":[\"\"],\"author\":\"no\"}", 1},
    {"{\"body\":[\"p1\", \"p2\\n\" ,\"\"],\"text\":\"no\"}", 1},
    {"{\"body\":[\" \"]}", 1},
    {"{\"title\":\"t\",\"authors\":[\"a\",1]}", 0},
    {"{\"title\":\"t\",\"authors\":[{\"name\":\"a\"}]}", 0},
    {"{\"title\":\"t\",\"authors\":[\"a\",]}", 0},
    {"{\"title\":[\"a\"]}", 0},
    {"{\"title\":{\"rendered\":\"r\"}}", 0},
    {"{\"title\":true}", 0},
    {"{\"title\":\"t\",}", 0},
    {"{\"title\" \"t\"}", 0},
    {"{\"title\":\"t\"} x", 0},
    {"{\"title\":\"t\",\"x\":tru}", 0},
    {"{\"title\":\"t\\x\"}", 0},
    {"{\"title\":\"t\x01\"}", 0},
    {"{\"title\":\"t\tx\"}", 0},
    {"{\"title\":\"a\\u0000b\"}", 0},
    {"{\"title\":\"a\\ud800b\"}", 0},
    {"{\"title\":\"a\\udc00\"}", 0},
    {"{\"id\":012,\"title\":\"t\"}", 0},
    {"{\"title\":\"t\",\"n\":-}", 0},
    {"{\"title\":\"t\",\"n\":1.}", 0},
    {"{\"ti\\u0074le\":\"t\"}", 0},
    {"[{\"title\":\"t\"}]", 0},
    {"{\"title\":\"unterminated}", 0},
    {"{\"title\":\"t\"", 0},
};

static void test_fast_path(void **state)
{
    (void)state;
    char deep[300];
    for (size_t i = 0; i < sizeof fast_cases / sizeof fast_cases[0] + 1; i++) {
        const char *json;
        int want_fast;
        if (i < sizeof fast_cases / sizeof fast_cases[0]) {
            json = fast_cases[i].json;
            want_fast = fast_cases[i].fast;
        } else { /* unknown values nested past the fast path's depth limit */
            size_t n = 0;
            n += (size_t)snprintf(deep, sizeof deep, "{\"title\":\"t\",\"x\":");
            for (int d = 0; d < 70; d++)
                deep[n++] = '[';
            for (int d = 0; d < 70; d++)
                deep[n++] = ']';
            snprintf(deep + n, sizeof deep - n, "}");
            json = deep;
            want_fast = 0;
        }
        print_message("fast path: %s\n", json);
        ni_article a = {0}, b = {0};
        ni_status fast_rc = NI_OK;
        ni_error e1 = {{0}}, e2 = {{0}};
        int took = ni_json_fast(json, strlen(json), &a, &fast_rc);
        assert_int_equal(took, want_fast);
        if (!took) {
            assert_null(a.title);
            assert_null(a.body);
            continue;
        }
        json_error_t je;
        json_t *v = json_loadb(json, strlen(json), JSON_ALLOW_NUL | JSON_DECODE_ANY, &je);
        assert_non_null(v);
        int rep = 0;
        ni_status slow_rc = ni_json_to_article(v, &b, &rep, &e2);
        json_decref(v);
        assert_int_equal(fast_rc, slow_rc);
        assert_string_equal(e1.msg, e2.msg);
        if (fast_rc == NI_OK) {
            check_field("uid", a.uid, b.uid);
            check_field("title", a.title, b.title);
            check_field("body", a.body, b.body);
            check_field("date", a.date_raw, b.date_raw);
            check_field("url", a.url, b.url);
            check_field("source", a.source, b.source);
            check_field("authors", a.authors, b.authors);
            check_field("language", a.language, b.language);
            assert_int_equal(a.body_len, b.body_len);
        }
        ni_article_clear(&a);
        ni_article_clear(&b);
    }
}

/* Random mutations of realistic records: whenever the fast path takes one,
 * jansson must agree on every field and message (seeded, so reproducible). */
static void test_fast_path_random(void **state)
{
    (void)state;
    static const char *const seeds[] = {
        "{\"id\":\"A1\",\"title\":\" T1 "
        "\",\"body\":\"B\\nx\\u00e9\\ud83d\\ude00\",\"date\":\"2024\","
        "\"url\":\"u\",\"source\":\"S\",\"authors\":\"A\",\"lang\":\"en\",\"m\":{\"a\":[1,-2.5,"
        "true,"
        "false,null,{\"b\":\"c\"}]}}",
        "{\"headline\":\"h\",\"text\":\"t\\\"q\\\\\",\"published\":1700000000,\"guid\":12,\"x\":[]"
        "}",
        "{\"title\":null,\"Title\":\"x\",\"BODY\":\"  \",\"content\":\"c\\t\"}",
        "{\"title\":\"a\",\"title\":\"\",\"url\":\"u\",\"link\":\"l\",\"id\":7,\"ID\":\"x\"}",
        "{\"maintext\":\"m\",\"authors\":[\"A\",\" B "
        "\",\"\"],\"body\":[\"p\",\"q\"],\"byline\":\"b\"}",
    };
    static const char alphabet[] = "{}[]\":,\\u0123456789abcdefnrtlsE.+- \t\n\x01\xc3\xa9";
    unsigned long seed = 12345, taken = 0;
    char buf[512];
    for (int it = 0; it < 20000; it++) {
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        const char *src = seeds[(seed >> 33) % 5];
        size_t n = strlen(src);
        memcpy(buf, src, n);
        for (int m = 0; m < 1 + (int)((seed >> 40) % 3); m++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            size_t pos = (size_t)((seed >> 33) % n);
            char c = alphabet[(seed >> 20) % (sizeof alphabet - 1)];
            int op = (int)((seed >> 50) % 3);
            if (op == 0)
                buf[pos] = c;
            else if (op == 1 && n < sizeof buf - 1) {
                memmove(buf + pos + 1, buf + pos, n - pos);
                buf[pos] = c;
                n++;
            } else if (n > 1) {
                memmove(buf + pos, buf + pos + 1, n - pos - 1);
                n--;
            }
        }
        if (!ni_utf8_is_valid(buf, n))
            continue;
        ni_article a = {0}, b = {0};
        ni_status fast_rc = NI_OK;
        ni_error e1 = {{0}}, e2 = {{0}};
        if (!ni_json_fast(buf, n, &a, &fast_rc))
            continue;
        taken++;
        json_error_t je;
        json_t *v = json_loadb(buf, n, JSON_ALLOW_NUL | JSON_DECODE_ANY, &je);
        if (!v)
            fail_msg("fast path took invalid JSON (%s): %.*s", je.text, (int)n, buf);
        int rep = 0;
        ni_status slow_rc = ni_json_to_article(v, &b, &rep, &e2);
        json_decref(v);
        assert_int_equal(fast_rc, slow_rc);
        assert_string_equal(e1.msg, e2.msg);
        if (fast_rc == NI_OK) {
            check_field("uid", a.uid, b.uid);
            check_field("title", a.title, b.title);
            check_field("body", a.body, b.body);
            check_field("date", a.date_raw, b.date_raw);
            check_field("url", a.url, b.url);
            check_field("source", a.source, b.source);
            check_field("authors", a.authors, b.authors);
            check_field("language", a.language, b.language);
        }
        ni_article_clear(&a);
        ni_article_clear(&b);
    }
    assert_true(taken > 1000); /* the mutations leave plenty for the fast path */
}

/* ---- which files, open errors ----------------------------------------- */

static void test_supports(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        int ok;
    } paths[] = {
        {"a.txt", 1},       {"a.TXT", 1},    {"d/a.jsonl", 1},  {"a.ndjson", 1},
        {"a.json", 1},      {"a.txt.gz", 1}, {"a.jsonl.gz", 1}, {"a.JSON.GZ", 1},
        {"a.ndjson.gz", 1}, {"a.gz", 0},     {"a.csv", 0},      {"jsonl", 0},
        {"a.json.bak", 0},  {"a.txt~", 0},   {"", 0},           {".json", 1},
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        assert_int_equal(ni_reader_supports(paths[i].path), paths[i].ok);
    assert_int_equal(ni_reader_supports(NULL), 0);
}

static void test_open_errors(void **state)
{
    (void)state;
    char path[512];
    ni_reader *r = (ni_reader *)&r;
    ni_error err = {{0}};
    struct {
        const char *file;
        int kind; /* 0 missing, 1 directory, 2 fifo, 3 unsupported */
        ni_status rc;
        const char *msg;
    } cases[] = {
        {"missing.jsonl", 0, NI_ENOTFOUND, "cannot open"},
        {"dir.jsonl", 1, NI_EIO, "not a regular file"},
        {"fifo.jsonl", 2, NI_EIO, "not a regular file"},
        {"notes.csv", 3, NI_EUSAGE, "unsupported"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        path_for(path, sizeof path, cases[i].file);
        if (cases[i].kind == 1)
            assert_int_equal(mkdir(path, 0700), 0);
        if (cases[i].kind == 2)
            assert_int_equal(mkfifo(path, 0600), 0);
        if (cases[i].kind == 3)
            write_file(path, "x", 1, 0);
        assert_int_equal(ni_reader_open(path, NULL, &r, &err), cases[i].rc);
        assert_null(r);
        assert_non_null(strstr(err.msg, cases[i].msg));
        assert_null(strstr(err.msg, tmpdir));
        if (cases[i].kind == 1)
            rmdir(path);
        else
            unlink(path);
    }
    ni_reader_close(NULL);
    assert_int_equal(ni_reader_offset(NULL), 0);
}

/* ---- resuming --------------------------------------------------------- */

static const char resume_data[] = "{\"title\":\"r1\"}\n"   /* 0..15 */
                                  "\n"                     /* 15..16 */
                                  "{\"title\": bad}\n"     /* 16..31 */
                                  "{\"title\":\"r3\"}\r\n" /* 31..47 */
                                  "{\"title\":\"r4\"}";    /* 47..61, unterminated */

static void read_offsets(const char *path, uint64_t start, ni_status *rcs, uint64_t *offs,
                         size_t *n)
{
    ni_reader_options o = {0, start};
    ni_reader *r;
    ni_error err;
    assert_int_equal(ni_reader_open(path, &o, &r, &err), NI_OK);
    assert_int_equal(ni_reader_offset(r), start);
    *n = 0;
    for (;;) {
        ni_article a = {0};
        unsigned long line;
        int rep;
        ni_status rc = ni_reader_next(r, &a, &line, &rep, &err);
        ni_article_clear(&a);
        rcs[*n] = rc;
        offs[*n] = ni_reader_offset(r);
        (*n)++;
        if (rc == NI_ENOTFOUND)
            break;
    }
    ni_reader_close(r);
}

static void test_resume(void **state)
{
    (void)state;
    for (int gz = 0; gz <= 1; gz++) {
        char path[512];
        path_for(path, sizeof path, gz ? "resume.jsonl.gz" : "resume.jsonl");
        write_file(path, resume_data, sizeof resume_data - 1, gz);
        ni_status rcs[8];
        uint64_t offs[8];
        size_t n;
        read_offsets(path, 0, rcs, offs, &n);
        static const ni_status want_rc[] = {NI_OK, NI_EFORMAT, NI_OK, NI_OK, NI_ENOTFOUND};
        static const uint64_t want_off[] = {15, 31, 47, 61, 61};
        assert_int_equal(n, 5);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(rcs[i], want_rc[i]);
            assert_int_equal(offs[i], want_off[i]);
        }
        /* Resume after each record: the rest comes with the same lines and records. */
        static const struct {
            uint64_t start;
            unsigned long line, record;
            const char *title;
        } resumes[] = {{15, 4, 3, "r3"}, {16, 4, 3, "r3"}, {31, 4, 3, "r3"}, {47, 5, 4, "r4"}};
        for (size_t i = 0; i < sizeof resumes / sizeof resumes[0]; i++) {
            ni_reader_options o = {0, resumes[i].start};
            ni_reader *r;
            ni_error err;
            assert_int_equal(ni_reader_open(path, &o, &r, &err), NI_OK);
            ni_article a = {0};
            unsigned long line;
            int rep;
            ni_status rc;
            while ((rc = ni_reader_next(r, &a, &line, &rep, &err)) == NI_EFORMAT)
                ;
            assert_int_equal(rc, NI_OK);
            assert_string_equal(a.title, resumes[i].title);
            assert_int_equal(a.line, resumes[i].line);
            assert_int_equal(a.record, resumes[i].record);
            ni_article_clear(&a);
            ni_reader_close(r);
        }
        /* At the very end: nothing new, and no "empty file" complaint. */
        read_offsets(path, 61, rcs, offs, &n);
        assert_int_equal(n, 1);
        assert_int_equal(rcs[0], NI_ENOTFOUND);
        assert_int_equal(offs[0], 61);
        /* Not at a line start, or past the end: refused at open. */
        ni_reader_options mid = {0, 5}, past = {0, 62};
        ni_reader *r = NULL;
        ni_error err;
        assert_int_equal(ni_reader_open(path, &mid, &r, &err), NI_EFORMAT);
        assert_non_null(strstr(err.msg, "not at the end of a record"));
        assert_int_equal(ni_reader_open(path, &past, &r, &err), NI_EUSAGE);
        assert_null(r);
        unlink(path);
    }
    /* Only JSON Lines can be resumed. */
    char path[512];
    path_for(path, sizeof path, "resume.json");
    write_file(path, "[]", 2, 0);
    ni_reader_options o = {0, 1};
    ni_reader *r = NULL;
    ni_error err;
    assert_int_equal(ni_reader_open(path, &o, &r, &err), NI_EUSAGE);
    unlink(path);
}

/* An unterminated last line that does not parse yet (still being written) is read again. */
static void test_resume_append(void **state)
{
    (void)state;
    char path[512];
    path_for(path, sizeof path, "append.jsonl");
    write_file(path, "{\"title\":\"a\"}\n{\"title\":\"b", 25, 0);
    ni_status rcs[8];
    uint64_t offs[8];
    size_t n;
    read_offsets(path, 0, rcs, offs, &n);
    assert_int_equal(n, 3);
    assert_int_equal(rcs[1], NI_EFORMAT);
    assert_int_equal(offs[2], 14);
    FILE *f = fopen(path, "ab");
    assert_non_null(f);
    fputs("\"}\n{\"title\":\"c\"}\n", f);
    fclose(f);
    read_offsets(path, 14, rcs, offs, &n);
    assert_int_equal(n, 3);
    assert_int_equal(rcs[0], NI_OK);
    assert_int_equal(rcs[1], NI_OK);
    assert_int_equal(offs[1], 42);
    unlink(path);
}

/* ---- hostile input ---------------------------------------------------- */

static long peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

/* A good line, one line of line_mb MB, a good line. */
static void write_long_line(const char *path, size_t line_mb)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("{\"title\":\"before\"}\n{\"title\":\"", f);
    static char chunk[1 << 16];
    memset(chunk, 'x', sizeof chunk);
    for (size_t i = 0; i < line_mb * 16; i++)
        assert_int_equal(fwrite(chunk, 1, sizeof chunk, f), sizeof chunk);
    fputs("\"}\n{\"title\":\"after\"}\n", f);
    assert_int_equal(fclose(f), 0);
}

static void test_long_line(void **state)
{
    (void)state;
    char path[512];
    path_for(path, sizeof path, "long.jsonl");
    write_long_line(path, 110);
    static const expect out[] = {OKT(1, 1, NULL, "before", ""),
                                 BAD(NI_ELIMIT, 2, "longer than the"), OKT(3, 3, NULL, "after", ""),
                                 END};
    /* With a 1 MiB limit, memory stays near 1 MiB: checked through peak RSS. */
    long before = peak_rss_mb();
    ni_reader_options small = {1 << 20, 0};
    expect_results("110 MB line, 1 MiB limit", path, &small, out);
    long grown = peak_rss_mb() - before;
    if (grown > 48)
        fail_msg("peak RSS grew by %ld MB reading past a 110 MB line", grown);
    /* With the default 64 MiB limit. */
    expect_results("110 MB line, default limit", path, NULL, out);
    unlink(path);
}

/* Write a gzip file: prefix, then zeros bytes of '\0', through deflate. */
static void write_bomb(const char *path, const char *prefix, size_t zeros)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY), Z_OK);
    static unsigned char in[1 << 16], out[1 << 16];
    size_t left = zeros;
    int first = 1;
    for (;;) {
        size_t n;
        if (first) {
            n = strlen(prefix);
            memcpy(in, prefix, n);
            first = 0;
        } else {
            memset(in, 0, sizeof in);
            n = left < sizeof in ? left : sizeof in;
            left -= n;
        }
        z.next_in = in;
        z.avail_in = (uInt)n;
        int flush = left == 0 && !first ? Z_FINISH : Z_NO_FLUSH;
        int zr;
        do {
            z.next_out = out;
            z.avail_out = sizeof out;
            zr = deflate(&z, flush);
            assert_true(zr == Z_OK || zr == Z_STREAM_END || zr == Z_BUF_ERROR);
            fwrite(out, 1, sizeof out - z.avail_out, f);
        } while (z.avail_out == 0);
        if (flush == Z_FINISH)
            break;
    }
    deflateEnd(&z);
    fclose(f);
}

static void test_gzip_bomb(void **state)
{
    (void)state;
    static const struct {
        const char *file, *prefix;
        expect out[3];
    } bombs[] = {
        {"bomb.jsonl.gz", "", {BAD(NI_ELIMIT, 1, "longer than the"), END}},
        {"bomb2.jsonl.gz",
         "{\"title\":\"ok\",\"body\":\"one good record of some length before the flood of "
         "zeros\"}\n",
         {OKT(1, 1, NULL, "ok", ANY), BAD(NI_ELIMIT, 2, "longer than the"), END}},
        {"bomb.txt.gz", "Title: x\n\n", {BAD(NI_ELIMIT, 1, "longer than the"), END}},
    };
    for (size_t i = 0; i < sizeof bombs / sizeof bombs[0]; i++) {
        char path[512];
        path_for(path, sizeof path, bombs[i].file);
        write_bomb(path, bombs[i].prefix, (size_t)200 << 20);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_true(st.st_size < (200 << 20) / 500); /* really a bomb */
        expect_results(bombs[i].file, path, NULL, bombs[i].out);
        unlink(path);
    }
}

static void test_deep_nesting(void **state)
{
    (void)state;
    const size_t depth = 1000000;
    char *deep = malloc(2 * depth + 1);
    assert_non_null(deep);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = '\0';
    for (int json = 0; json <= 1; json++) {
        char path[512];
        path_for(path, sizeof path, json ? "deep.json" : "deep.jsonl");
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fputs(json ? "[{\"title\":\"a\"},\n" : "{\"title\":\"a\"}\n", f);
        fputs(deep, f);
        fputs(json ? ",\n{\"title\":\"b\"}]\n" : "\n{\"title\":\"b\"}\n", f);
        fclose(f);
        expect out[] = {OKT(1, 1, NULL, "a", ""), BAD(NI_EFORMAT, 2, "depth"),
                        OKT(3, 3, NULL, "b", ""), END};
        expect_results(path, path, NULL, out);
        unlink(path);
    }
    free(deep);
}

/* ---- allocation failures --------------------------------------------- */

static void test_alloc_failures(void **state)
{
    (void)state;
    json_set_alloc_funcs(ni_malloc, ni_free);
    static const struct {
        const char *file, *data;
    } files[] = {
        {"af.jsonl", "{\"id\":1,\"title\":\"caf\xE9\",\"authors\":[\"a\",\"b\"],\"body\":\"x\"}\n"
                     "{\"title\":\"s\\ud800\",\"body\":\"a\\u0000b\"}\n"},
        {"af.json", "[{\"title\":\"t\",\"body\":[\"p\",\"q\"]},{\"url\":\"u\",\"text\":\"b\"}]"},
        {"af.txt", "Title: t\xE9\nAuthor: a\nAuthor: b\nURL: u\n\nbody\n"},
        {"af.jsonl.gz", "{\"title\":\"t\",\"body\":\"b\\n\"}\n{\"title\":[1]}\n"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        path_for(path, sizeof path, files[i].file);
        size_t plen = strlen(path);
        write_file(path, files[i].data, strlen(files[i].data),
                   plen > 3 && strcmp(path + plen - 3, ".gz") == 0);
        int clean = 0;
        for (unsigned long fail = 1; fail < 200 && !clean; fail++) {
            ni_alloc_fail_at(fail);
            ni_reader *r = NULL;
            ni_error err;
            ni_status rc = ni_reader_open(path, NULL, &r, &err);
            int saw_nomem = rc == NI_ENOMEM;
            if (!rc) {
                for (;;) {
                    ni_article a = {0};
                    unsigned long line;
                    int rep;
                    rc = ni_reader_next(r, &a, &line, &rep, &err);
                    ni_article_clear(&a);
                    if (rc == NI_ENOMEM)
                        saw_nomem = 1;
                    else
                        assert_true(rc == NI_OK || rc == NI_ENOTFOUND || rc == NI_EFORMAT);
                    if (rc != NI_OK && rc != NI_EFORMAT)
                        break;
                }
                ni_reader_close(r);
            } else {
                assert_int_equal(rc, NI_ENOMEM);
                assert_null(r);
            }
            clean = !saw_nomem;
        }
        ni_alloc_fail_at(0);
        assert_true(clean);
        unlink(path);
    }
    json_set_alloc_funcs(malloc, free);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return rmdir(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl),        cmocka_unit_test(test_json),
        cmocka_unit_test(test_txt),          cmocka_unit_test(test_corpus_bad),
        cmocka_unit_test(test_fast_path),    cmocka_unit_test(test_fast_path_random),
        cmocka_unit_test(test_supports),     cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_resume),       cmocka_unit_test(test_resume_append),
        cmocka_unit_test(test_long_line),    cmocka_unit_test(test_gzip_bomb),
        cmocka_unit_test(test_deep_nesting), cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
