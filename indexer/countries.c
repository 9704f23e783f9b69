/*
 * countries.c — the country extractor: which countries an article names, how
 * often, and how central each one is.
 *
 * One pass tokenises title and body with the gazetteer's own word scanner
 * (lib/country_lex.h), which reads the words bounded by ASCII off the text's
 * word runs (wordruns.h, one scan shared with the other extractors), then at
 * every capitalised word looks up windows of one
 * to NI_COUNTRY_MAX_WORDS words in the lexicon's hash table, extending a
 * window only while it is the prefix of some longer phrase, and keeps the
 * longest phrase whose words are capitalised as the lexicon requires.  No
 * per-country scan of the text, so the cost is linear in the text.
 *
 * Each match is then judged in context, in two steps:
 *  - locally, from its neighbours: "Michael Jordan", "Chad Smith", "Mr.
 *    Jordan", "Monica French" (a person's name); "Atlanta, Georgia", "Paris,
 *    Texas", "Guernsey County", "a Jordan man", "US-24" (a North American
 *    place or road); "a roast Turkey", "Guinea pigs" (the common noun);
 *    "Irish pub", "speaks French", "in English and Spanish" (culture and
 *    language); "Institute of China and Modern Asia", "American Diabetes
 *    Association" (an institution's name);
 *  - over the whole article: a word once used as a person's name is a name
 *    everywhere unless the country is named otherwise too; Georgia is the country only with
 * Caucasus context (Tbilisi, a former Soviet state, no US state); a capitalised common noun opening
 *    a sentence does not count when the article also uses it in lower case;
 *    capitals that are also North American towns (Paris, Lebanon, Moscow)
 *    count only in articles without North American places; weak words and
 *    institution names count only where the country is named otherwise too.
 *    Moscow, Belgrade and Prague count for SU, YU and CS in stories that name
 *    those states but not their successors.
 * Blocked phrases ("Latin America", "New Mexico", "Indian Ocean") swallow
 * their words; regions and blocs are not in the lexicon at all.
 *
 * Centrality: a wire dateline ("SALVADOR, Feb 26 -", "TOKYO (Reuters) -";
 * "BIRMINGHAM, Ala., March 3 -" gives US) counts most, then the title (its
 * first country most), then the number of mentions and how early the first
 * one comes.  Items are sorted by that score, highest first; ties go to the
 * earlier mention.  Offsets are 32-bit: text past 4 GiB is not read.
 */
#include "countries.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/country_lex.h"
#include "newsindex/alloc.h"

/*
 * Centrality weights, measured on the Reuters-21578 dev sample (first
 * country in PLACES; bench/eval-countries.sh): the result is flat around
 * these values, so they are round numbers rather than a fit.
 */
static const double weight_dateline = 8.0;    /* the wire dateline's country */
static const double weight_title = 3.0;       /* named in the title... */
static const double weight_title_first = 2.0; /* ...divided by its order there */
static const double weight_mentions = 2.0;    /* times log(1 + mentions) */
static const double weight_position = 1.5;    /* times 1 - first offset / body length */

/* The gap between a word and the one before it. */
enum { GAP_NONE, GAP_SPACE, GAP_JOIN, GAP_DOT, GAP_OTHER, GAP_COMMA, GAP_SENT };

enum {
    T_SENT = 1 << 8,  /* first word of a sentence (or of the segment) */
    T_TITLE = 1 << 9, /* in the title */
};

typedef struct {
    uint32_t start, end; /* byte span in its segment */
    uint32_t fold;       /* offset of the folded form in folds (unless NI_W_PLAIN) */
    uint16_t len;        /* folded length */
    uint16_t flags;      /* NI_W_ | T_ */
    unsigned char gap;   /* GAP_ before this word */
} token;

typedef struct {
    const ni_country_term *term;
    size_t tok;     /* first word */
    unsigned words; /* words covered */
    int state;      /* ST_ */
    int org;        /* inside an institution's name: counts only with support */
    int sure;       /* unambiguous in context ("Washington, D.C.") */
} match;

enum { ST_OK, ST_PERSON, ST_REJECT };

typedef struct {
    const char *text; /* segment text */
    size_t n;
    int caps;      /* mostly capitals (wire titles): case says nothing */
    int titlecase; /* most words capitalised: neighbours say nothing */
    size_t first;  /* first token */
    size_t count;  /* tokens */
} segment;

typedef struct {
    token *toks;
    size_t ntoks, captoks;
    char *folds;
    size_t nfolds, capfolds;
    match *matches;
    size_t nmatches, capmatches;
    segment seg[2];          /* title, body */
    ni_wordruns own_runs[2]; /* runs of a segment the caller gave none for */
    size_t body_start;       /* first body word after a copy of the title (LGL repeats it) */
} doc;

/* The folded form of a word: its own text when plain lower-case ASCII. */
static const char *fold_of(const doc *d, const token *t)
{
    if (t->flags & NI_W_PLAIN)
        return d->seg[(t->flags & T_TITLE) ? 0 : 1].text + t->start;
    return d->folds + t->fold;
}

static const char *const function_words[] = {"of",  "the", "and", "d",  "da", "de",
                                             "del", "des", "du",  "la", "le", "s",
                                             "y",   "et",  "au",  "al", "es", "el"};
static const char *const honorifics[] = {
    "mr",      "mrs", "ms",     "miss",   "dr",   "sen",    "rep",     "gov",   "coach", "mayor",
    "judge",   "sir", "lady",   "lord",   "prof", "sgt",    "lt",      "col",   "gen",   "capt",
    "officer", "det", "deputy", "pastor", "rev",  "father", "brother", "sister"};
static const char *const directions[] = {
    "north",   "south",   "east",     "west", "central", "greater",      "northern", "southern",
    "eastern", "western", "downtown", "old",  "new",     "metropolitan", "inner",    "outer"};
/* Countries whose capital bears their name, so that a dateline may name them. */
static const char *const city_states[] = {"SG", "HK", "MO", "MC", "LU", "VA", "KW",
                                          "DJ", "BH", "QA", "SM", "GI", "AD", "LI"};

static const char *const months[] = {"jan",  "january", "feb",    "february", "mar",  "march",
                                     "apr",  "april",   "may",    "jun",      "june", "jul",
                                     "july", "aug",     "august", "sep",      "sept", "september",
                                     "oct",  "october", "nov",    "november", "dec",  "december"};

/* Capitalised only because they open a sentence ("In Jordan, ..."). */
static const char *const sentence_openers[] = {
    "in",        "for",       "from",    "to",         "with",    "and",       "but",      "as",
    "at",        "by",        "on",      "after",      "before",  "like",      "unlike",   "while",
    "when",      "since",     "both",    "neither",    "only",    "even",      "then",     "so",
    "if",        "although",  "though",  "because",    "during",  "under",     "over",     "across",
    "inside",    "outside",   "near",    "between",    "without", "within",    "against",  "via",
    "including", "unlike",    "across",  "throughout", "toward",  "towards",   "into",     "onto",
    "beyond",    "behind",    "around",  "about",      "of",      "or",        "nor",      "yet",
    "also",      "meanwhile", "besides", "despite",    "where",   "whereas",   "until",    "upon",
    "among",     "amid",      "visit",   "visiting",   "leaving", "unlike",    "whether",  "not",
    "why",       "how",       "what",    "where",      "all",     "every",     "most",     "many",
    "some",      "here",      "there",   "now",        "today",   "yesterday", "tomorrow", "once",
    "still",     "then",      "thus"};
static const char *const common_before[] = {
    "a",      "an",      "roast",    "roasted", "wild",     "smoked",   "fried", "whole",
    "frozen", "stuffed", "my",       "your",    "our",      "their",    "his",   "her",
    "this",   "fine",    "bone",     "cooked",  "deep",     "free",     "fresh", "holiday",
    "baked",  "native",  "american", "plains",  "cherokee", "cheyenne", "sioux"};
static const char *const common_after[] = {
    "dinner",    "dinners",     "sandwich",     "sandwiches", "breast",    "breasts",
    "meat",      "burger",      "burgers",      "farm",       "farms",     "farmer",
    "farmers",   "hunt",        "hunting",      "hunters",    "season",    "leg",
    "legs",      "bacon",       "sausage",      "pig",        "pigs",      "fowl",
    "cabinet",   "plate",       "plates",       "pepper",     "peppers",   "dish",
    "dishes",    "shoot",       "giveaway",     "giveaways",  "drive",     "feast",
    "fryer",     "fryers",      "fry",          "vulture",    "vultures",  "gravy",
    "stuffing",  "stock",       "soup",         "chili",      "hen",       "hens",
    "eggs",      "cup",         "cups",         "teapot",     "doll",      "dolls",
    "pattern",   "porcelain",   "hat",          "hats",       "tribe",     "tribes",
    "tribal",    "reservation", "reservations", "casino",     "casinos",   "gaming",
    "nation",    "nations",     "land",         "lands",      "territory", "artifacts",
    "mound",     "mounds",      "burial",       "village",    "chief",     "chiefs",
    "heritage",  "education",   "health",       "affairs",    "child",     "children",
    "community", "communities", "culture",      "dancers",    "dance",     "head",
    "river",     "creek",       "lake",         "springs",    "trail",     "summer",
    "corn",      "giblets",     "carcass",      "roll",       "rolls",     "salad",
    "wrap",      "club",        "dressing",     "loaf",       "dogs",      "calls",
    "call",      "decoy",       "decoys",       "feathers",   "tail",      "tails"};

/* After a demonym: the culture, cuisine or language, not the country ("Irish pub"). */
static const char *const culture_after[] = {
    "heritage",     "pub",         "pubs",       "song",        "songs",     "music",
    "rock",         "musician",    "dance",      "dancers",     "dancing",   "food",
    "foods",        "cuisine",     "restaurant", "restaurants", "descent",   "ancestry",
    "roots",        "festival",    "festivals",  "culture",     "cultural",  "tradition",
    "traditions",   "traditional", "style",      "bread",       "coffee",    "whiskey",
    "whisky",       "beer",        "stew",       "setter",      "wolfhound", "language",
    "languages",    "class",       "classes",    "teacher",     "teachers",  "lesson",
    "lessons",      "immersion",   "speaking",   "speaker",     "speakers",  "translation",
    "translator",   "translators", "version",    "subtitles",   "club",      "film",
    "films",        "movie",       "dish",       "dishes",      "wine",      "wines",
    "cheese",       "chef",        "bakery",     "market",      "grocery",   "literature",
    "poetry",       "art",         "artist",     "artists",     "painting",  "paintings",
    "architecture", "design",      "fashion",    "horn",        "door",      "doors",
    "onion",        "onions",      "cooking",    "recipes",     "recipe",    "village",
    "cafe",         "bistro",      "deli",       "word",        "words",     "name",
    "names",        "accent",      "dialect",    "major",       "majors",    "studies",
    "immersion",    "pastry",      "pastries",   "dressing",    "salad",     "sausage",
    "pizza",        "tacos",       "rice",       "noodles",     "tea",       "bagpipes",
    "folk",         "sheepdog",    "terrier",    "shepherd",    "breed",     "wrestling",
    "cooking",      "cook"};
/* Before a demonym: the language ("speaks French"). */
static const char *const language_before[] = {
    "speak",    "speaks",   "spoke",   "speaking",   "learn",          "learned",
    "learning", "teach",    "teaches", "taught",     "teaching",       "study",
    "studied",  "studying", "fluent",  "translated", "conversational", "basic"};

/* Words that take a full stop without ending the sentence ("St. Lucia", "Mr. Jordan"). */
static const char *const abbreviations[] = {
    "st",   "mt",   "ft",   "pt",  "dr",     "mr",  "mrs",  "ms",   "messrs", "gen",  "sen",
    "rep",  "gov",  "lt",   "col", "capt",   "sgt", "cmdr", "adm",  "maj",    "jr",   "sr",
    "rev",  "prof", "vs",   "no",  "nos",    "inc", "co",   "corp", "ltd",    "bros", "dept",
    "univ", "ave",  "blvd", "rd",  "jan",    "feb", "mar",  "apr",  "aug",    "sept", "sep",
    "oct",  "nov",  "dec",  "est", "approx", "etc", "al",   "fig",  "vol"};

static int in_list(const char *w, size_t len, const char *const *list, size_t n)
{
    /* The first byte first: a strlen per entry was 8 % of the extractor. */
    for (size_t i = 0; i < n; i++)
        if (len && list[i][0] == w[0] && strlen(list[i]) == len && memcmp(list[i], w, len) == 0)
            return 1;
    return 0;
}
#define IN_LIST(d, t, list) in_list(fold_of(d, t), (t)->len, list, sizeof list / sizeof list[0])

static int is_word(const doc *d, const token *t, const char *w)
{
    size_t n = strlen(w);
    return t->len == n && memcmp(fold_of(d, t), w, n) == 0;
}

/* --- tokenising ---------------------------------------------------------- */

static unsigned char classify_gap(const char *s, size_t from, size_t to, int *sent)
{
    unsigned char gap = from == to ? GAP_NONE : GAP_SPACE;
    int newlines = 0, stop = 0;
    *sent = 0;
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') {
            if (++newlines >= 2)
                *sent = 1;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            if (stop)
                *sent = 1;
        } else if (c == '.' || c == '!' || c == '?') {
            stop = 1;
            if (c == '.' && gap < GAP_DOT)
                gap = GAP_DOT;
            else if (c != '.' && gap < GAP_OTHER)
                gap = GAP_OTHER;
        } else if (c == ',') {
            if (gap < GAP_COMMA)
                gap = GAP_COMMA;
        } else if ((c == '-' || c == '\'') && to - from == 1) {
            gap = GAP_JOIN;
        } else if (c == 0xE2 && i + 2 < to && (unsigned char)s[i + 1] == 0x80 &&
                   (unsigned char)s[i + 2] == 0x99 && to - from == 3) {
            gap = GAP_JOIN; /* U+2019 right single quote used as an apostrophe */
            i += 2;
        } else if (c == 0xC2 && i + 1 < to && (unsigned char)s[i + 1] == 0xA0) {
            i++; /* no-break space */
        } else {
            if (gap < GAP_OTHER)
                gap = GAP_OTHER;
            if (c == ':' || c == ';')
                stop = 0;
        }
    }
    if (*sent)
        gap = GAP_SENT;
    else if (stop && to == from + 1)
        gap = GAP_DOT; /* "St.Louis" never happens; a lone dot is an abbreviation */
    return gap;
}

static ni_status tokenize(doc *d, int which, const char *text, size_t n, const ni_wordruns *runs)
{
    segment *sg = &d->seg[which];
    if (n > NI_WORDRUNS_MAX)
        n = NI_WORDRUNS_MAX; /* offsets are 32-bit; the readers cap articles far lower */
    if (!runs || runs->len != n) {
        if (ni_wordruns_scan(&d->own_runs[which], text, n))
            return NI_ENOMEM;
        runs = &d->own_runs[which];
    }
    sg->text = text;
    sg->n = n;
    sg->first = d->ntoks;
    sg->count = 0;
    size_t pos = 0, prev_end = 0, cursor = 0;
    unsigned capital = 0, lower = 0, allcaps = 0;
    /* about a word per run: room for them all at once */
    if (d->captoks - d->ntoks < runs->n + 1) {
        size_t cap = d->ntoks + runs->n + 64;
        token *t = ni_reallocarray(d->toks, cap, sizeof *t);
        if (!t)
            return NI_ENOMEM;
        d->toks = t;
        d->captoks = cap;
    }
    for (;;) {
        if (d->ntoks == d->captoks &&
            ni_grow(&d->toks, &d->captoks, d->ntoks + 1, sizeof *d->toks, 256))
            return NI_ENOMEM;
        if (d->capfolds - d->nfolds < NI_COUNTRY_MAX_KEY + 1 &&
            ni_grow(&d->folds, &d->capfolds, d->nfolds + NI_COUNTRY_MAX_KEY + 1, 1, 4096))
            return NI_ENOMEM;
        token *t = &d->toks[d->ntoks];
        ni_country_word w;
        if (!ni_country_next_word_runs(text, n, pos, runs, &cursor, &w, d->folds + d->nfolds,
                                       NI_COUNTRY_MAX_KEY + 1))
            break;
        int sent;
        t->start = (uint32_t)w.start;
        t->end = (uint32_t)w.end;
        t->fold = (uint32_t)d->nfolds;
        t->len = (uint16_t)(w.len > NI_COUNTRY_MAX_KEY ? NI_COUNTRY_MAX_KEY + 1 : w.len);
        t->flags = (uint16_t)(w.flags | (which == 0 ? T_TITLE : 0));
        if (sg->count == 0)
            t->gap = GAP_SENT;
        else if (w.start == prev_end + 1 && text[prev_end] == ' ')
            t->gap = GAP_SPACE;
        else
            t->gap = classify_gap(text, prev_end, w.start, &sent);
        if (t->gap == GAP_SENT && sg->count > 0 && text[prev_end] == '.' &&
            w.start - prev_end <= 3 && text[prev_end + 1] == ' ') {
            const token *p = t - 1;
            if ((p->len == 1 && (p->flags & NI_W_CAP)) || IN_LIST(d, p, abbreviations))
                t->gap = GAP_DOT;
        }
        if (sg->count == 0 || t->gap == GAP_SENT)
            t->flags |= T_SENT;
        else if (t->gap == GAP_OTHER) {
            /* '. "Word' and '(Word' after a stop start a sentence too */
            for (size_t i = prev_end; i < w.start; i++)
                if (text[i] == '.' || text[i] == '!' || text[i] == '?') {
                    t->flags |= T_SENT;
                    break;
                }
        }
        if (!(t->flags & NI_W_PLAIN))
            d->nfolds += t->len;
        if (w.len >= 2) {
            if (w.flags & NI_W_ALLCAPS)
                allcaps++;
            if (w.flags & NI_W_CAP)
                capital++;
            else
                lower++;
        }
        prev_end = w.end;
        pos = w.end;
        d->ntoks++;
        sg->count++;
    }
    unsigned words = capital + lower;
    sg->caps = words > 0 && allcaps * 10 >= words * 7;
    sg->titlecase = which == 0 && words > 0 && capital * 10 >= words * 6;
    return NI_OK;
}

/* --- matching ------------------------------------------------------------ */

static int case_ok(const doc *d, const segment *sg, size_t first, unsigned words,
                   const ni_country_term *t)
{
    for (unsigned k = 0; k < words; k++) {
        const token *tk = &d->toks[first + k];
        if (t->kind == NI_CK_ACRONYM) {
            if (!(tk->flags & (NI_W_ALLCAPS | NI_W_DOTTED)) && !(tk->len == 1 && sg->caps))
                return 0;
            if ((tk->flags & NI_W_DOTTED) && !(tk->flags & NI_W_CAP))
                return 0;
            continue;
        }
        if (sg->caps || (tk->flags & NI_W_CAP))
            continue;
        if (t->kind == NI_CK_BLOCK && k > 0)
            continue;
        if (k > 0 && IN_LIST(d, tk, function_words))
            continue;
        return 0;
    }
    return 1;
}

static int joinable(const doc *d, size_t j)
{
    const token *t = &d->toks[j];
    if (t->gap == GAP_SPACE || t->gap == GAP_JOIN)
        return 1;
    /* "St. Louis", "Booker T. Washington" */
    if (t->gap == GAP_DOT && j > 0 && d->toks[j - 1].len <= 2 && (d->toks[j - 1].flags & NI_W_CAP))
        return 1;
    return 0;
}

static ni_status add_match(doc *d, const ni_country_term *t, size_t tok, unsigned words)
{
    if (d->nmatches == d->capmatches &&
        ni_grow(&d->matches, &d->capmatches, d->nmatches + 1, sizeof *d->matches, 32))
        return NI_ENOMEM;
    d->matches[d->nmatches++] = (match){t, tok, words, ST_OK, 0, 0};
    return NI_OK;
}

/* The longest lexicon term starting at token i (within its segment), or NULL. */
static const ni_country_term *longest_at(const doc *d, const segment *sg, size_t i, int check_case,
                                         unsigned *words)
{
    char key[NI_COUNTRY_MAX_KEY + 2];
    size_t klen = 0;
    const ni_country_term *chain[NI_COUNTRY_MAX_WORDS];
    unsigned chain_words[NI_COUNTRY_MAX_WORDS];
    unsigned nchain = 0;
    size_t end = sg->first + sg->count;
    for (size_t j = i; j < end && j - i < NI_COUNTRY_MAX_WORDS; j++) {
        const token *t = &d->toks[j];
        if (j > i && !joinable(d, j))
            break;
        if (t->len > NI_COUNTRY_MAX_KEY || klen + t->len + 1 > NI_COUNTRY_MAX_KEY)
            break;
        if (j > i)
            key[klen++] = ' ';
        memcpy(key + klen, fold_of(d, t), t->len);
        klen += t->len;
        int prefix;
        const ni_country_term *term = ni_country_lookup(key, klen, &prefix);
        if (term) {
            chain[nchain] = term;
            chain_words[nchain++] = (unsigned)(j - i + 1);
        }
        if (!prefix)
            break;
    }
    while (nchain > 0) {
        nchain--;
        if (!check_case || case_ok(d, sg, i, chain_words[nchain], chain[nchain])) {
            *words = chain_words[nchain];
            return chain[nchain];
        }
    }
    return NULL;
}

static ni_status find_matches(doc *d, int which)
{
    const segment *sg = &d->seg[which];
    size_t end = sg->first + sg->count;
    for (size_t i = sg->first; i < end; i++) {
        const token *t = &d->toks[i];
        if (!(t->flags & NI_W_CAP) && !sg->caps)
            continue;
        unsigned words;
        const ni_country_term *term = longest_at(d, sg, i, 1, &words);
        if (!term)
            continue;
        ni_status st = add_match(d, term, i, words);
        if (st)
            return st;
        i += words - 1;
    }
    return NI_OK;
}

/* --- judging ------------------------------------------------------------- */

static const segment *segment_of(const doc *d, size_t tok)
{
    return tok >= d->seg[1].first ? &d->seg[1] : &d->seg[0];
}

static int is_country_word(const doc *d, size_t tok)
{
    unsigned words;
    const ni_country_term *t = longest_at(d, segment_of(d, tok), tok, 0, &words);
    return t && t->code[0] && t->kind != NI_CK_BLOCK;
}

/* After a place name: a North American town ("Guernsey County", "a Jordan man"). */
static const char *const local_after[] = {
    "county", "township", "parish", "borough", "resident", "residents", "man",     "woman",
    "teen",   "boy",      "girl",   "couple",  "family",   "mayor",     "village", "schools"};

/* Capitalised after a place name: a county or a street ("Malta Road"). */
static const char *const local_names[] = {
    "county", "township", "parish", "borough", "road",    "street", "avenue", "ave", "boulevard",
    "blvd",   "drive",    "lane",   "highway", "parkway", "pike",   "st",     "rd"};

/*
 * "Paris, Texas", "Moscow, Idaho", "Lebanon, Pa.", "Guernsey County": a place
 * in North America (-1); "Washington, D.C.": the capital for sure (1); else 0.
 */
static int region_context(const doc *d, const match *m)
{
    const segment *sg = segment_of(d, m->tok);
    size_t next = m->tok + m->words;
    if (next >= sg->first + sg->count)
        return 0;
    const token *n = &d->toks[next];
    if (n->gap == GAP_SPACE && ((IN_LIST(d, n, local_after) && !(n->flags & NI_W_CAP)) ||
                                ((n->flags & NI_W_CAP) && IN_LIST(d, n, local_names))))
        return -1;
    /* "US-24": a road */
    if (n->gap == GAP_JOIN && sg->text[n->start - 1] == '-' && fold_of(d, n)[0] >= '0' &&
        fold_of(d, n)[0] <= '9')
        return -1;
    if (n->gap != GAP_COMMA)
        return 0;
    unsigned words;
    const ni_country_term *t = longest_at(d, sg, next, 1, &words);
    if (!t || (t->kind != NI_CK_REGION && t->kind != NI_CK_REGION_ABBR))
        return 0;
    return strcmp(t->code, m->term->code) == 0 && m->term->kind == NI_CK_SEAT ? 1 : -1;
}

static int person_context(const doc *d, const match *m)
{
    const segment *sg = segment_of(d, m->tok);
    if (sg->caps || sg->titlecase)
        return 0;
    size_t next = m->tok + m->words;
    if (next < sg->first + sg->count) {
        const token *n = &d->toks[next];
        if (n->gap == GAP_SPACE && (n->flags & NI_W_CAP) && !(n->flags & NI_W_ALLCAPS) &&
            !IN_LIST(d, n, function_words) && !is_country_word(d, next))
            return 1;
    }
    if (m->tok > sg->first) {
        const token *p = &d->toks[m->tok - 1];
        const token *me = &d->toks[m->tok];
        if ((me->gap == GAP_SPACE || me->gap == GAP_DOT) && IN_LIST(d, p, honorifics))
            return 1;
        if (me->gap == GAP_SPACE && (p->flags & NI_W_CAP) && !(p->flags & NI_W_ALLCAPS) &&
            !IN_LIST(d, p, directions) && !IN_LIST(d, p, function_words) &&
            !((p->flags & T_SENT) && IN_LIST(d, p, sentence_openers)) &&
            !is_country_word(d, m->tok - 1))
            return 1;
    }
    return 0;
}

/* Whether the word at tok starts a US state or Canadian province name. */
static int is_region_word(const doc *d, size_t tok)
{
    unsigned words;
    const ni_country_term *t = longest_at(d, segment_of(d, tok), tok, 1, &words);
    return t && t->kind == NI_CK_REGION;
}

static int us_state_context(const doc *d, const match *m)
{
    const segment *sg = segment_of(d, m->tok);
    /* "Oregon and Washington", "Georgia or Alabama" */
    if (m->tok >= sg->first + 2) {
        const token *c = &d->toks[m->tok - 1];
        if ((is_word(d, c, "and") || is_word(d, c, "or")) && is_region_word(d, m->tok - 2))
            return 1;
    }
    if (m->tok + m->words + 1 < sg->first + sg->count) {
        const token *c = &d->toks[m->tok + m->words];
        if ((is_word(d, c, "and") || is_word(d, c, "or")) &&
            is_region_word(d, m->tok + m->words + 1))
            return 1;
    }
    if (m->tok > sg->first) {
        const token *me = &d->toks[m->tok];
        const token *p = &d->toks[m->tok - 1];
        /* "Atlanta, Georgia" (but not "Russia, Georgia and Ukraine") */
        if (me->gap == GAP_COMMA && (p->flags & NI_W_CAP) && !is_country_word(d, m->tok - 1))
            return 1;
        /* "the state of Georgia" */
        if (me->gap == GAP_SPACE && is_word(d, p, "of") && m->tok - 1 > sg->first &&
            is_word(d, &d->toks[m->tok - 2], "state"))
            return 1;
    }
    size_t next = m->tok + m->words;
    if (next < sg->first + sg->count) {
        const token *n = &d->toks[next];
        if (n->gap == GAP_SPACE && is_word(d, n, "state"))
            return 1;
        if (m->term->kind != NI_CK_DEMONYM && !sg->caps && !sg->titlecase && n->gap == GAP_SPACE &&
            (n->flags & NI_W_CAP) && !IN_LIST(d, n, function_words) && !is_country_word(d, next))
            return 1;
    }
    return 0;
}

static int common_context(const doc *d, const match *m)
{
    const segment *sg = segment_of(d, m->tok);
    const token *me = &d->toks[m->tok];
    if (m->tok > sg->first && me->gap == GAP_SPACE &&
        IN_LIST(d, &d->toks[m->tok - 1], common_before))
        return 1;
    size_t next = m->tok + m->words;
    if (next < sg->first + sg->count) {
        const token *n = &d->toks[next];
        if ((n->gap == GAP_SPACE || n->gap == GAP_JOIN) &&
            (!(n->flags & NI_W_CAP) || sg->caps || sg->titlecase) && IN_LIST(d, n, common_after))
            return 1;
    }
    return 0;
}

/* "Irish pub", "speaks French", "written in Spanish.": the culture or language. */
static int culture_context(const doc *d, const match *m)
{
    const segment *sg = segment_of(d, m->tok);
    size_t next = m->tok + m->words;
    int at_end = next >= sg->first + sg->count;
    if (!at_end) {
        const token *n = &d->toks[next];
        if ((n->gap == GAP_SPACE || n->gap == GAP_JOIN) &&
            (!(n->flags & NI_W_CAP) || sg->caps || sg->titlecase) && IN_LIST(d, n, culture_after))
            return 1;
        at_end = n->gap != GAP_SPACE || is_word(d, n, "and") || is_word(d, n, "or");
    }
    /* walk back over a list of languages: "in English and Spanish" */
    size_t i = m->tok;
    while (i > sg->first + 1 && d->toks[i].gap == GAP_SPACE &&
           (is_word(d, &d->toks[i - 1], "and") || is_word(d, &d->toks[i - 1], "or")) &&
           (d->toks[i - 2].flags & NI_W_CAP) && m->tok - i < 8)
        i -= 2;
    if (i > sg->first) {
        const token *p = &d->toks[i - 1];
        if (d->toks[i].gap == GAP_SPACE && IN_LIST(d, p, language_before))
            return 1;
        if (d->toks[i].gap == GAP_SPACE && at_end && is_word(d, p, "in"))
            return 1;
    }
    return 0;
}

/* Words after which "of X" is the country itself ("Bank of Japan", "King of Jordan"). */
static const char *const of_country[] = {
    "republic",   "kingdom",      "president",  "king",       "queen",        "prince",
    "princess",   "minister",     "ministry",   "government", "people",       "bank",
    "embassy",    "consulate",    "federation", "union",      "states",       "islands",
    "island",     "gulf",         "sea",        "coast",      "state",        "emir",
    "sultan",     "shah",         "emperor",    "empress",    "premier",      "chancellor",
    "parliament", "army",         "navy",       "foreign",    "citizen",      "citizens",
    "north",      "south",        "east",       "west",       "central",      "northern",
    "southern",   "eastern",      "western",    "capital",    "democratic",   "ambassador",
    "consul",     "governor",     "mayor",      "duchy",      "principality", "government",
    "regime",     "junta",        "sultanate",  "emirate",    "crown",        "invasion",
    "occupation", "commonwealth", "province",   "provinces",  "empire",       "tsar",
    "czar",       "commander",    "forces",     "air",        "border",       "borders",
    "coasts",     "waters",       "leader",     "leaders",    "dictator",     "general",
    "secretary",  "prime",        "vice",       "deputy",     "first",        "lady",
    "cabinet",    "senate",       "congress",   "house",      "court",        "constitution",
    "history",    "map",          "flag",       "friend",     "friends",      "enemy",
    "enemies",    "ally",         "allies",     "part",       "parts",        "rest",
    "heart",      "capital"};
/* Last words of an institution's name ("American Diabetes Association"). */
static const char *const org_suffix[] = {
    "association",   "associations", "society",    "group",    "inc",        "corp",
    "corporation",   "company",      "co",         "act",      "airlines",   "airways",
    "express",       "legion",       "foundation", "league",   "institute",  "club",
    "museum",        "university",   "college",    "school",   "academy",    "hospital",
    "center",        "centre",       "network",    "magazine", "journal",    "times",
    "post",          "news",         "press",      "records",  "motors",     "idol",
    "festival",      "awards",       "award",      "cup",      "series",     "championship",
    "championships", "tour",         "team",       "grill",    "restaurant", "cafe",
    "bar",           "pub",          "store",      "stores",   "market",     "bakery",
    "kitchen",       "service",      "services",   "systems",  "industries", "holdings",
    "partners",      "fund",         "trust",      "bancorp",  "financial",  "insurance",
    "realty",        "church",       "cathedral",  "club",     "clubs",      "council",
    "committee",     "coalition",    "alliance",   "project",  "program",    "programme",
    "conference",    "forum",        "federation", "union",    "party",      "bank",
    "marketplace",   "apartments",   "estates",    "plaza",    "mall",       "stadium",
    "arena",         "airport",      "hotel",      "theater",  "theatre"};

/*
 * A country inside an institution's name: "Institute of China and Modern
 * Asia", "Future Farmers of America", "Reserve America", "American Diabetes
 * Association".  Such a mention counts only when the country is named
 * otherwise too.
 */
static int org_context(const doc *d, const match *m)
{
    const segment *sg = segment_of(d, m->tok);
    if (sg->caps || sg->titlecase)
        return 0;
    const token *me = &d->toks[m->tok];
    if (m->tok >= sg->first + 2 && me->gap == GAP_SPACE) {
        const token *of = &d->toks[m->tok - 1], *org = &d->toks[m->tok - 2];
        if ((is_word(d, of, "of") || is_word(d, of, "for")) && of->gap == GAP_SPACE &&
            (org->flags & NI_W_CAP) && !(org->flags & T_SENT) && !IN_LIST(d, org, of_country) &&
            !is_country_word(d, m->tok - 2))
            return 1;
    }
    if (m->term->kind == NI_CK_NAME && m->tok > sg->first && me->gap == GAP_SPACE &&
        !(me->flags & T_SENT)) {
        const token *p = &d->toks[m->tok - 1];
        if ((p->flags & NI_W_CAP) && !(p->flags & NI_W_ALLCAPS) && !(p->flags & T_SENT) &&
            !IN_LIST(d, p, directions) && !IN_LIST(d, p, of_country) &&
            !IN_LIST(d, p, function_words) && !is_country_word(d, m->tok - 1))
            return 1;
    }
    /* a capitalised run after the country that ends like an institution */
    size_t end = sg->first + sg->count, j = m->tok + m->words;
    for (unsigned k = 0; k < 5 && j < end; k++, j++) {
        const token *t = &d->toks[j];
        if (t->gap != GAP_SPACE)
            break;
        if (is_word(d, t, "of") || is_word(d, t, "for") || is_word(d, t, "and"))
            continue;
        if (!(t->flags & NI_W_CAP))
            break;
        if (IN_LIST(d, t, org_suffix))
            return 1;
    }
    return 0;
}

/* Per country, for the article-level rules and the ranking. */
typedef struct {
    unsigned mentions;
    unsigned strong; /* mentions by a word with no ambiguity flag */
    unsigned title;  /* 0, or the order of its first mention in the title (1 = first) */
    int dateline;    /* the dateline city */
    size_t first;    /* byte offset of the first body mention */
} tally;

enum { NCODES = 26 * 26 };

/*
 * The tallies of the codes an article touches: slot maps a code (code_slot)
 * to 1 + its index in t, 0 for none, so only 1.3 KiB is cleared per article
 * (a zeroed tally per possible code was 16 KiB: a third of judge_and_rank's
 * instructions on allsides).
 */
typedef struct {
    tally *t; /* room for NCODES */
    size_t n;
    uint16_t slot[NCODES];
} tallies;

/* Code k's tally, a fresh one (no mentions, no first offset) on first use. */
static tally *tally_of(tallies *ts, int k)
{
    if (!ts->slot[k]) {
        tally *t = &ts->t[ts->n++];
        memset(t, 0, sizeof *t);
        t->first = (size_t)-1;
        ts->slot[k] = (uint16_t)ts->n;
    }
    return &ts->t[ts->slot[k] - 1];
}

static int code_slot(const char *code)
{
    if (code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z')
        return -1;
    return (code[0] - 'A') * 26 + (code[1] - 'A');
}

/* Whether the article uses term's word in lower case ("turkey" the bird). */
static int lower_use(const doc *d, const match *m)
{
    const token *w = &d->toks[m->tok];
    for (size_t i = 0; i < d->ntoks; i++) {
        const token *t = &d->toks[i];
        if (!(t->flags & NI_W_CAP) && t->len == w->len &&
            memcmp(fold_of(d, t), fold_of(d, w), w->len) == 0 && !segment_of(d, i)->caps)
            return 1;
    }
    return 0;
}

/*
 * The wire dateline at the start of the body: a run of capitalised words
 * ("SALVADOR", "NEW YORK", "Tokyo") ended by a comma or a parenthesis, with a
 * dash soon after ("SALVADOR, Feb 26 -", "TOKYO (Reuters) -").  Returns the
 * country code it names (city or "City, State") or NULL; *ntok gets the
 * number of words of the city.
 */
static const char *dateline(const doc *d, size_t *ntok, int *town)
{
    const segment *sg = &d->seg[1];
    *ntok = 0;
    *town = 0;
    if (sg->count == 0)
        return NULL;
    size_t first = d->body_start, end = sg->first + sg->count, run = 0;
    if (first >= end)
        return NULL;
    int allcaps = 1;
    while (first + run < end && run < 5) {
        const token *t = &d->toks[first + run];
        if (run > 0 && !joinable(d, first + run))
            break;
        if (!(t->flags & NI_W_CAP))
            return NULL;
        if (!(t->flags & (NI_W_ALLCAPS | NI_W_DOTTED)) && t->len > 1)
            allcaps = 0;
        run++;
    }
    if (run == 0 || first + run > end)
        return NULL;
    size_t after = d->toks[first + run - 1].end;
    if (after >= sg->n || (sg->text[after] != ',' && sg->text[after] != ' '))
        return NULL;
    /* the rest of the dateline: a dash within 48 bytes, or "(Reuters)"-style credit */
    size_t limit = after + 48 < sg->n ? after + 48 : sg->n;
    int dash = 0, credit = 0;
    for (size_t i = after; i < limit; i++) {
        if (sg->text[i] == '-' && i > 0 && sg->text[i - 1] == ' ')
            dash = 1;
        if ((unsigned char)sg->text[i] == 0xE2 && i + 2 < limit &&
            (unsigned char)sg->text[i + 1] == 0x80 &&
            ((unsigned char)sg->text[i + 2] == 0x94 || (unsigned char)sg->text[i + 2] == 0x93))
            dash = 1;
        if (sg->text[i] == '(')
            credit = 1;
        if (sg->text[i] == '\n' ||
            (sg->text[i] == '.' && i + 1 < limit && sg->text[i + 1] == ' ' && i > after + 6))
            break;
    }
    /* "London, March 11 -", "Calgary, Alberta, March 18 -": a mixed-case city
       is a dateline when a date follows (after the place, if any) */
    int month = 0;
    if (first + run < end && d->toks[first + run].gap == GAP_COMMA) {
        size_t j = first + run;
        unsigned pw;
        if (!IN_LIST(d, &d->toks[j], months) && longest_at(d, sg, j, 1, &pw) && j + pw < end &&
            d->toks[j + pw].gap == GAP_COMMA)
            j += pw;
        month = IN_LIST(d, &d->toks[j], months) && j + 1 < end;
    }
    /* "ATLANTA - ", "HAMILTON — ": a bare dash right after a city in capitals */
    size_t k = after;
    while (k < sg->n && sg->text[k] == ' ')
        k++;
    int bare =
        allcaps && k > after && k + 1 < sg->n &&
        ((sg->text[k] == '-' && (sg->text[k + 1] == ' ' || sg->text[k + 1] == '-')) ||
         ((unsigned char)sg->text[k] == 0xE2 && k + 2 < sg->n &&
          (unsigned char)sg->text[k + 1] == 0x80 &&
          ((unsigned char)sg->text[k + 2] == 0x94 || (unsigned char)sg->text[k + 2] == 0x93)));
    if (!dash || (!allcaps && !credit && !month))
        return NULL;
    if (sg->text[after] == ' ' && !credit && !bare)
        return NULL;
    unsigned words;
    const ni_country_term *t;
    /* "NORTHBROOK, Ill., March 3 -", "ZEEBRUGGE, Belgium, March 10 -": the place
       after the comma says where the city is ("BIRMINGHAM, Ala." is not England) */
    if (first + run < end && d->toks[first + run].gap == GAP_COMMA &&
        !IN_LIST(d, &d->toks[first + run], months)) {
        t = longest_at(d, sg, first + run, 1, &words);
        if (t && t->code[0] &&
            (t->kind == NI_CK_REGION || t->kind == NI_CK_REGION_ABBR || t->kind == NI_CK_NAME ||
             t->kind == NI_CK_ACRONYM)) {
            *ntok = run;
            return t->code;
        }
    }
    /* the city itself */
    t = longest_at(d, sg, first, 0, &words);
    if (t && t->code[0] && t->kind != NI_CK_BLOCK && words == run) {
        *ntok = words;
        /* a dateline names a city: "MALTA - " is a town, unless a city-state */
        if ((t->kind == NI_CK_NAME || t->kind == NI_CK_ACRONYM) &&
            !in_list(t->code, 2, city_states, sizeof city_states / sizeof city_states[0])) {
            *town = 1;
            return NULL;
        }
        return t->code;
    }
    return NULL;
}

static int by_score(const void *a, const void *b)
{
    const ni_country_hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return strcmp(x->code, y->code);
}

static ni_status judge_and_rank(doc *d, ni_countries *out)
{
    tallies tl;
    tl.n = 0;
    memset(tl.slot, 0, sizeof tl.slot);
    tl.t = ni_mallocarray(NCODES, sizeof *tl.t);
    if (!tl.t)
        return NI_ENOMEM;
    unsigned us_regions = 0, soviet_area = 0, foreign = 0;
    size_t dl_words = 0;
    int dl_town = 0;
    const char *dl = dateline(d, &dl_words, &dl_town);
    /*
     * After a copy of the title (local papers repeat it: "Book sale. MALTA -
     * About 5,000 books") the dateline only says which word is a town; it
     * is not a mention of its own.
     */
    const char *dl_place = dl;
    const ni_country_term *town = NULL;
    for (size_t i = 0; dl_town && i < d->nmatches; i++)
        if (d->matches[i].tok == d->body_start)
            town = d->matches[i].term;
    if (d->body_start != d->seg[1].first)
        dl = NULL;

    /* local rules */
    for (size_t i = 0; i < d->nmatches; i++) {
        match *m = &d->matches[i];
        const ni_country_term *t = m->term;
        if (t->kind == NI_CK_REGION_ABBR) {
            /* "Man" is a word; ", Man." after a town is Manitoba */
            const token *tk = &d->toks[m->tok];
            const segment *sg = segment_of(d, m->tok);
            if (tk->gap == GAP_COMMA &&
                ((tk->flags & NI_W_DOTTED) || (tk->end < sg->n && sg->text[tk->end] == '.')))
                us_regions++;
            m->state = ST_REJECT;
            continue;
        }
        if (t->kind == NI_CK_REGION) {
            us_regions++;
            m->state = ST_REJECT;
            continue;
        }
        /* the dateline city of "DUBLIN, Ohio" is not Ireland's; "MALTA - " is a town */
        if ((dl_place && strcmp(t->code, dl_place) != 0 && m->tok == d->body_start) ||
            (town && t == town)) {
            m->state = ST_REJECT;
            continue;
        }
        if (t->kind == NI_CK_BLOCK || (t->kind == NI_CK_CITY && !(dl && m->tok == d->body_start))) {
            if (t->kind == NI_CK_CITY && (!strcmp(t->code, "US") || !strcmp(t->code, "CA")))
                us_regions++;
            m->state = ST_REJECT;
            continue;
        }
        int region = region_context(d, m);
        if (region < 0) {
            us_regions++;
            m->state = ST_REJECT;
            continue;
        }
        if (region > 0)
            m->sure = 1;
        else if ((t->amb & NI_CAMB_PERSON) && person_context(d, m))
            m->state = ST_PERSON;
        else if ((t->amb & NI_CAMB_US_STATE) && us_state_context(d, m))
            m->state = ST_REJECT;
        else if ((t->amb & NI_CAMB_COMMON) && common_context(d, m))
            m->state = ST_REJECT;
        else if (t->kind == NI_CK_DEMONYM && culture_context(d, m))
            m->state = ST_REJECT;
        if (m->state == ST_OK && org_context(d, m))
            m->org = 1;
        if (m->state == ST_OK && (m->sure || (!t->amb && !m->org))) {
            int k = code_slot(t->code);
            if (k >= 0)
                tally_of(&tl, k)->strong++;
            if (strcmp(t->code, "US") != 0 && strcmp(t->code, "CA") != 0)
                foreign++;
            static const char *const caucasus[] = {"RU", "SU", "UA", "AM", "AZ", "BY",
                                                   "TR", "IR", "LV", "LT", "EE", "MD",
                                                   "KZ", "UZ", "TM", "KG", "TJ"};
            for (size_t c = 0; c < sizeof caucasus / sizeof caucasus[0]; c++)
                if (strcmp(t->code, caucasus[c]) == 0)
                    soviet_area++;
        }
    }
    /*
     * Article-level facts about each ambiguous word, computed once per word so
     * that a text repeating one word a million times stays linear.
     */
    enum { MAX_NOTES = 128 };
    struct {
        const ni_country_term *term;
        signed char person; /* used as a person's name somewhere */
        signed char lower;  /* -1: not yet known; else whether used in lower case */
    } notes[MAX_NOTES];
    size_t nnotes = 0;
    for (size_t i = 0; i < d->nmatches; i++) {
        const match *m = &d->matches[i];
        if (!(m->term->amb & (NI_CAMB_PERSON | NI_CAMB_COMMON)))
            continue;
        size_t j = 0;
        while (j < nnotes && notes[j].term != m->term)
            j++;
        if (j == nnotes) {
            if (nnotes == MAX_NOTES)
                continue; /* more distinct ambiguous words than the lexicon has */
            notes[nnotes].term = m->term;
            notes[nnotes].person = 0;
            notes[nnotes].lower = -1;
            nnotes++;
        }
        if (m->state == ST_PERSON)
            notes[j].person = 1;
    }
    /* article-level rules */
    for (size_t i = 0; i < d->nmatches; i++) {
        match *m = &d->matches[i];
        const ni_country_term *t = m->term;
        if (m->state != ST_OK || m->sure || (!t->amb && !m->org))
            continue;
        int k = code_slot(t->code);
        int supported = (k >= 0 && tl.slot[k] && tl.t[tl.slot[k] - 1].strong > 0) ||
                        (dl && strcmp(dl, t->code) == 0);
        if (supported)
            continue;
        size_t note = 0;
        while (note < nnotes && notes[note].term != t)
            note++;
        if ((t->amb & NI_CAMB_PERSON) && note < nnotes && notes[note].person)
            m->state = ST_REJECT;
        if ((t->amb & NI_CAMB_US_STATE) && strcmp(t->code, "GE") == 0 &&
            !((soviet_area > 0 || t->kind == NI_CK_DEMONYM) && us_regions == 0))
            m->state = ST_REJECT;
        if ((t->amb & NI_CAMB_COMMON) && (d->toks[m->tok].flags & (T_SENT | T_TITLE)) &&
            note < nnotes) {
            if (notes[note].lower < 0)
                notes[note].lower = (signed char)lower_use(d, m);
            if (notes[note].lower)
                m->state = ST_REJECT;
        }
        if ((t->amb & NI_CAMB_WEAK) || m->org)
            m->state = ST_REJECT;
        if ((t->amb & NI_CAMB_LOCAL) && (us_regions > 0 || foreign == 0))
            m->state = ST_REJECT;
    }
    /*
     * "Moscow" and "the Kremlin" in a story that names the Soviet Union but
     * not Russia are the Soviet Union's (the archives reach back decades);
     * likewise Belgrade and Yugoslavia, Prague and Czechoslovakia.
     */
    static const char *const successor[][2] = {{"RU", "SU"}, {"RS", "YU"}, {"CZ", "CS"}};
    enum { NSUCC = sizeof successor / sizeof successor[0] };
    int named[NSUCC][2] = {{0}};
    for (size_t i = 0; i < d->nmatches; i++) {
        const match *m = &d->matches[i];
        if (m->state != ST_OK || m->term->kind == NI_CK_SEAT)
            continue;
        for (int p = 0; p < NSUCC; p++)
            for (int q = 0; q < 2; q++)
                if (strcmp(m->term->code, successor[p][q]) == 0)
                    named[p][q] = 1;
    }
    for (int p = 0; p < NSUCC; p++)
        if (dl && named[p][1] && !named[p][0] && strcmp(dl, successor[p][0]) == 0)
            dl = successor[p][1];
    /* tally */
    size_t ncodes = 0;
    unsigned title_rank = 0;
    for (size_t i = 0; i < d->nmatches; i++) {
        const match *m = &d->matches[i];
        if (m->state != ST_OK)
            continue;
        int k = code_slot(m->term->code);
        if (k < 0)
            continue;
        for (int p = 0; p < NSUCC; p++)
            if (named[p][1] && !named[p][0] && strcmp(m->term->code, successor[p][0]) == 0)
                k = code_slot(successor[p][1]);
        tally *c = tally_of(&tl, k);
        if (c->mentions++ == 0)
            ncodes++;
        const token *tk = &d->toks[m->tok];
        if (tk->flags & T_TITLE) {
            if (!c->title)
                c->title = ++title_rank;
        } else if (tk->start < c->first) {
            c->first = tk->start;
        }
    }
    if (dl) {
        int k = code_slot(dl);
        if (k >= 0) {
            tally *c = tally_of(&tl, k);
            if (c->mentions == 0) {
                ncodes++;
                c->mentions = 1;
            } else {
                /* the city was not matched (a city-only word) or was: count it once */
                int counted = 0;
                for (size_t i = 0; i < d->nmatches; i++)
                    if (d->matches[i].tok == d->body_start && d->matches[i].state == ST_OK)
                        counted = 1;
                if (!counted)
                    c->mentions++;
            }
            c->dateline = 1;
            if (c->first == (size_t)-1 || c->first > d->toks[d->body_start].start)
                c->first = d->toks[d->body_start].start;
        }
    }
    ni_status st = NI_OK;
    if (ncodes) {
        out->items = ni_mallocarray(ncodes, sizeof *out->items);
        if (!out->items) {
            st = NI_ENOMEM;
            goto done;
        }
        double len = d->seg[1].n ? (double)d->seg[1].n : 1.0;
        for (int k = 0; k < NCODES; k++) {
            if (!tl.slot[k] || !tl.t[tl.slot[k] - 1].mentions)
                continue;
            const tally *c = &tl.t[tl.slot[k] - 1];
            ni_country_hit *h = &out->items[out->n++];
            h->code[0] = (char)('A' + k / 26);
            h->code[1] = (char)('A' + k % 26);
            h->code[2] = '\0';
            h->mentions = c->mentions;
            h->first = c->first == (size_t)-1 ? d->seg[1].n : c->first;
            double pos = 1.0 - (double)h->first / len;
            h->score = weight_dateline * c->dateline +
                       (c->title ? weight_title + weight_title_first / c->title : 0.0) +
                       weight_mentions * log(1.0 + h->mentions) + weight_position * pos;
        }
        qsort(out->items, out->n, sizeof *out->items, by_score);
    }
done:
    ni_free(tl.t);
    return st;
}

/* The first body word after a copy of the title, if the body opens with one. */
static size_t skip_title_copy(const doc *d)
{
    const segment *ti = &d->seg[0], *bo = &d->seg[1];
    if (ti->count < 2 || bo->count <= ti->count)
        return bo->first;
    for (size_t i = 0; i < ti->count; i++) {
        const token *a = &d->toks[ti->first + i], *b = &d->toks[bo->first + i];
        if (a->len != b->len || memcmp(fold_of(d, a), fold_of(d, b), a->len) != 0)
            return bo->first;
    }
    return bo->first + ti->count;
}

/* --- public -------------------------------------------------------------- */

ni_status ni_countries_extract_runs(const char *title, const ni_wordruns *title_runs,
                                    const char *body, size_t len, const ni_wordruns *body_runs,
                                    ni_countries *out)
{
    doc d;
    memset(&d, 0, sizeof d);
    out->items = NULL;
    out->n = 0;
    if (!body)
        len = 0;
    ni_status st = tokenize(&d, 0, title ? title : "", title ? strlen(title) : 0, title_runs);
    if (!st)
        st = tokenize(&d, 1, body ? body : "", len, body_runs);
    if (!st)
        d.body_start = skip_title_copy(&d);
    if (!st)
        st = find_matches(&d, 0);
    if (!st)
        st = find_matches(&d, 1);
    if (!st)
        st = judge_and_rank(&d, out);
    if (st)
        ni_countries_clear(out);
    ni_free(d.toks);
    ni_free(d.folds);
    ni_free(d.matches);
    ni_wordruns_free(&d.own_runs[0]);
    ni_wordruns_free(&d.own_runs[1]);
    return st;
}

ni_status ni_countries_extract(const char *title, const char *body, size_t len, ni_countries *out)
{
    return ni_countries_extract_runs(title, NULL, body, len, NULL, out);
}

void ni_countries_clear(ni_countries *c)
{
    if (!c)
        return;
    ni_free(c->items);
    c->items = NULL;
    c->n = 0;
}
