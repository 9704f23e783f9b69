/*
 * test_speakers.c — the speaker extractor (indexer/speakers.c).  Each case
 * is a short text written for the test and the people expected, in order of
 * first quote, joined by "|" ("" for nobody).  Tables: attribution positions
 * and quotation-mark styles, reported speech with every kind of cue,
 * coreference (pronouns, role nouns, surnames), titles, things that are not
 * people (agencies, places, organisations), nested and unbalanced quotes,
 * quotes without a speaker.  Then the seed article, spans and cues, hostile
 * input (bounded time, no crash), allocation failures, and the lexicon order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "newsindex/alloc.h"
#include "speakers.h"
#include "speakers_lex.h"

typedef struct {
    const char *text;
    const char *want; /* "Maria Lopez|John Smith"; "" for nobody */
} speaker_case;

static void render(const ni_speakers *s, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < s->n_people; i++) {
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%s", i ? "|" : "", s->people[i].name);
    }
}

/* Every quote must point at a person and lie inside the text. */
static void check_invariants(const ni_speakers *s, size_t len)
{
    for (size_t i = 0; i < s->n_quotes; i++) {
        assert_true(s->quotes[i].person < s->n_people);
        assert_true(s->quotes[i].start <= s->quotes[i].end);
        assert_true(s->quotes[i].end <= len);
        if (i > 0)
            assert_true(s->quotes[i - 1].start <= s->quotes[i].start);
    }
    for (size_t p = 0; p < s->n_people; p++) {
        assert_non_null(s->people[p].name);
        assert_true(strlen(s->people[p].name) > 0);
    }
}

static void run_cases(const speaker_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ni_speakers s;
        char got[1024];
        size_t len = strlen(cases[i].text);
        assert_int_equal(ni_speakers_extract(cases[i].text, len, &s), NI_OK);
        check_invariants(&s, len);
        render(&s, got, sizeof got);
        if (strcmp(got, cases[i].want) != 0)
            print_error("case %zu: \"%s\"\n  want \"%s\"\n  got  \"%s\"\n", i, cases[i].text,
                        cases[i].want, got);
        assert_string_equal(got, cases[i].want);
        ni_speakers_clear(&s);
    }
}

#define RUN(table) run_cases(table, sizeof table / sizeof table[0])

/* Direct quotes: attribution after, before, inside; every mark style. */
static const speaker_case position_cases[] = {
    {"\xe2\x80\x9cWe will win,\xe2\x80\x9d Maria Lopez said.", "Maria Lopez"},
    {"\xe2\x80\x9cWe will win,\xe2\x80\x9d said Maria Lopez.", "Maria Lopez"},
    {"\xe2\x80\x9cWe will win,\xe2\x80\x9d Maria Lopez told reporters on Monday.", "Maria Lopez"},
    {"Maria Lopez said: \xe2\x80\x9cWe will win.\xe2\x80\x9d", "Maria Lopez"},
    {"Maria Lopez: \xe2\x80\x9cWe will win.\xe2\x80\x9d", "Maria Lopez"},
    {"\xe2\x80\x9cWe will win,\xe2\x80\x9d Maria Lopez said, \xe2\x80\x9c"
     "and we will do it soon.\xe2\x80\x9d",
     "Maria Lopez"},
    {"\"We will win,\" said Maria Lopez.", "Maria Lopez"},
    {"\"We will win,\" Maria Lopez said. \"Nobody doubts it.\"", "Maria Lopez"},
    {"\xc2\xabWe will win\xc2\xbb, Maria Lopez said.", "Maria Lopez"},
    {"\xe2\x80\x9eWe will win,\xe2\x80\x9c Maria Lopez said.", "Maria Lopez"},
    {"\xe2\x80\x9eWe will win,\xe2\x80\x9d Maria Lopez said.", "Maria Lopez"},
    /* doubled apostrophes for quotation marks, as some dumps write them */
    {"''We will win,'' said Maria Lopez.", "Maria Lopez"},
    /* a transcript: capitalised speaker labels, each taking several turns */
    {"KATE BOLDUAN: Why not debate?\n\nJOEL BENENSON: Because we won.\n\n"
     "KATE BOLDUAN: Really?\n\nJOEL BENENSON: Yes.",
     "Kate Bolduan|Joel Benenson"},
    {"KEEPING SCORE: The index gained 18 points.", ""},
    /* a quote running over several paragraphs, attributed at its end */
    {"\xe2\x80\x9cThe first paragraph of the statement is long.\n\n"
     "\xe2\x80\x9cThe second one ends it,\xe2\x80\x9d said John Smith.",
     "John Smith"},
    /* two speakers in turn */
    {"\xe2\x80\x9cYes,\xe2\x80\x9d said John Smith. \xe2\x80\x9cNo,\xe2\x80\x9d Maria Lopez "
     "replied.",
     "John Smith|Maria Lopez"},
};

/* Reported speech with each kind of cue. */
static const speaker_case reported_cases[] = {
    {"Maria Lopez said that the plan would fail.", "Maria Lopez"},
    {"Maria Lopez says the plan will fail.", "Maria Lopez"},
    {"Maria Lopez has said the plan will fail.", "Maria Lopez"},
    {"The plan will fail, said Finance Minister Maria Lopez.", "Maria Lopez"},
    {"The plan will fail, Maria Lopez said.", "Maria Lopez"},
    {"Maria Lopez, a spokeswoman for the ministry, said the plan would fail.", "Maria Lopez"},
    {"Maria Lopez, 45, said the plan would fail.", "Maria Lopez"},
    {"Committee Chairman Roger Wicker (R-Miss.) said he expects a fight.", "Roger Wicker"},
    {"Senator John Cornyn of Texas, the No. 2 Republican, said the bill would pass.",
     "John Cornyn"},
    {"James Pethokoukis of the American Enterprise Institute wrote recently that taxes rose.",
     "James Pethokoukis"},
    {"Nate Silver, the polling guru who founded the site tweeted that the race was close.",
     "Nate Silver"},
    {"The head of the institute, Maria Lopez, said the plan would fail.", "Maria Lopez"},
    {"According to Maria Lopez, the plan will fail.", "Maria Lopez"},
    {"Maria Lopez told reporters the plan would fail.", "Maria Lopez"},
    {"John Smith met the minister. \xe2\x80\x9cIt went well,\xe2\x80\x9d TASS quoted him as "
     "saying.",
     "John Smith"},
    {"Maria Lopez was quoted as saying the plan would fail.", "Maria Lopez"},
    {"Maria Lopez noted that prices rose.", "Maria Lopez"},
    {"Maria Lopez notes that prices rose.", "Maria Lopez"},
    {"Maria Lopez stated that prices rose.", "Maria Lopez"},
    {"Maria Lopez emphasized that prices rose.", "Maria Lopez"},
    {"Maria Lopez added that prices rose.", "Maria Lopez"},
    {"Maria Lopez explained that prices rose.", "Maria Lopez"},
    {"Maria Lopez recalled that prices rose.", "Maria Lopez"},
    {"Maria Lopez concluded that prices rose.", "Maria Lopez"},
    {"Maria Lopez warned that prices would rise.", "Maria Lopez"},
    {"Maria Lopez warns that prices will rise.", "Maria Lopez"},
    {"Maria Lopez argued that prices would rise.", "Maria Lopez"},
    {"Maria Lopez insisted that prices would rise.", "Maria Lopez"},
    {"Maria Lopez wrote that prices would rise.", "Maria Lopez"},
    {"Maria Lopez writes that prices will rise.", "Maria Lopez"},
    {"Maria Lopez called the plan a disaster.", "Maria Lopez"},
    {"Prices will rise, added Maria Lopez.", "Maria Lopez"},
    /* not speech */
    {"Maria Lopez was told to leave the room.", ""},
    {"Maria Lopez arrived in Madrid on Monday.", ""},
    {"Maria Lopez continued to work in Madrid.", ""},
    {"Maria Lopez did not respond to calls on the question.", ""},
    {"Maria Lopez didn\xe2\x80\x99t say why she left.", ""},
    {"Maria Lopez never said that.", ""},
    {"The harvest is in full swing in western Sao Paulo state.", ""},
    {"Maria Lopez will say more on Monday.", "Maria Lopez"},
    {"Commuter Sabine Lopez said the strike was a disaster.", "Sabine Lopez"},
    {"\xe2\x80\x9c"
     "Certainly Donald Smith has gone too far,\xe2\x80\x9d Donald Smith said.",
     "Donald Smith"},
    {"Mr. Grassley and Mr. Leahy said the program needed changes. Charles Grassley and "
     "Patrick Leahy are senators.",
     "Charles Grassley|Patrick Leahy"},
    {"Marine Le Pen spoke. \xe2\x80\x9c"
     "Everything but her,\xe2\x80\x9d Le Pen told CNN.",
     "Marine Le Pen"},
    {"\xe2\x80\x9cNot yet,\xe2\x80\x9d Maria Lopez continued.", "Maria Lopez"},
    {"The so-called plan was written by committee.", ""},
};

/* Pronouns, role nouns and surnames resolved to the person meant. */
static const speaker_case coref_cases[] = {
    {"Maria Lopez arrived on Monday.\n\n\xe2\x80\x9cWe will win,\xe2\x80\x9d she said.",
     "Maria Lopez"},
    {"\xe2\x80\x9cWe will win,\xe2\x80\x9d she said.", ""},
    {"Economist John Smith was not surprised. \xe2\x80\x9cPrices will rise,\xe2\x80\x9d the "
     "economist said.",
     "John Smith"},
    {"John Smith spoke in Rome. Prices will rise, the political scientist added.", "John Smith"},
    {"John Smith is an economist. \xe2\x80\x9cPrices will rise,\xe2\x80\x9d Smith said.",
     "John Smith"},
    {"\xe2\x80\x9cPrices will rise,\xe2\x80\x9d Smith said. John Smith is an economist.",
     "John Smith"},
    /* the topic, not the person named in a subordinate clause */
    {"Maria Lopez said that John Smith had lied. \xe2\x80\x9cHe knows it,\xe2\x80\x9d the "
     "expert added.",
     "Maria Lopez"},
    /* pronouns agree in gender with a known given name or honorific */
    {"Maria Lopez met John Smith on Monday.\n\n\xe2\x80\x9cWe agreed,\xe2\x80\x9d he said.",
     "John Smith"},
    {"John Smith met Maria Lopez on Monday.\n\n\xe2\x80\x9cWe agreed,\xe2\x80\x9d she said.",
     "Maria Lopez"},
    {"Mr. Lopez met the press. \xe2\x80\x9cWe agreed,\xe2\x80\x9d she said.", ""},
    {"Wendy Golden lost her son Kody Cook in 2014. Kody made a choice, she says.", "Wendy Golden"},
    /* a family name first, then alone */
    {"Spokeswoman Hua Chunying spoke on Tuesday. Hua told reporters that China objected.",
     "Hua Chunying"},
    {"Cecil Foster wrote The Story of Black Train Porters. Black train porters fought hard, "
     "he writes.",
     "Cecil Foster"},
    /* "Mr." picks the man among two people of one surname */
    {"Benjamin Netanyahu met Obama. Sara Netanyahu stayed home. Mr. Netanyahu responded "
     "by settling a dispute.",
     "Benjamin Netanyahu"},
    /* a paragraph that is a quotation, right after a person is named */
    {"Senator John Smith blamed the media for the attacks.\n\n"
     "\xe2\x80\x9cThe media isolated these students and made them a target.\xe2\x80\x9d",
     "John Smith"},
    /* one output per person, in the form the article uses most */
    {"Donald Trump said he would win. Trump said it again. Trump added that he would.",
     "Donald Trump"},
    {"Hillary Clinton said no. Bill Clinton said yes. Clinton then added more.",
     "Hillary Clinton|Bill Clinton"},
    /* titles stripped; a generational suffix is part of the name */
    {"Vice President Joseph R. Biden Jr. said the talks would go on.", "Joseph R. Biden Jr."},
    {"Interestingly Blocher, a wealthy industrialist, said no. Christoph Blocher won.",
     "Christoph Blocher"},
    {"Japanese Prime Minister Fumio Kishida said that talks would go on.", "Fumio Kishida"},
    {"Sen. Ted Cruz said the bill was dead.", "Ted Cruz"},
    {"Mr. Lou said the shop would close.", "Lou"},
    {"Deputy Chairman of the Security Council Dmitry Medvedev said no.", "Dmitry Medvedev"},
};

/* News agencies, outlets, places and organisations are not people. */
static const speaker_case not_people_cases[] = {
    {"Reuters said the talks had failed.", ""},
    {"TASS reported that the talks had failed.", ""},
    {"Moscow said the talks had failed.", ""},
    {"Tokyo said the talks had failed.", ""},
    {"The Foreign Ministry said the talks had failed.", ""},
    {"The Department of Homeland Security said the talks had failed.", ""},
    {"According to Statistics Canada, unemployment fell.", ""},
    {"Police said the driver had fled.", ""},
    {"The New York Times reported that the talks had failed.", ""},
    {"\xe2\x80\x9cThe talks failed,\xe2\x80\x9d RT said.", ""},
};

/* Nested, unbalanced and speakerless quotations. */
static const speaker_case quote_shape_cases[] = {
    {"\xe2\x80\x9cHe told me \xe2\x80\x98never again\xe2\x80\x99 and I believed him,\xe2\x80\x9d "
     "said Maria Lopez.",
     "Maria Lopez"},
    {"\xe2\x80\x9cThey are not \xe2\x80\x9c"
     "disputed territories,\xe2\x80\x9d this is ours,\xe2\x80\x9d Maria Lopez said.",
     "Maria Lopez"},
    /* a cue inside a quotation is the quoted words, not the article's */
    {"\xe2\x80\x9cJohn Smith said it was over,\xe2\x80\x9d Maria Lopez said.", "Maria Lopez"},
    /* unbalanced: no closing mark, or a stray one */
    {"\xe2\x80\x9cWe will win, said Maria Lopez.", "Maria Lopez"},
    {"We will win,\xe2\x80\x9d said Maria Lopez.", "Maria Lopez"},
    {"\"\"\" said Maria Lopez \"", "Maria Lopez"},
    /* an attribution line after a quotation */
    {"\xe2\x80\x9cThe most unqualified child ever.\xe2\x80\x9d \xe2\x80\x95 Francisco Herrero",
     "Francisco Herrero"},
    /* a name ending in a place name, and one used as a modifier */
    {"\"They cannot afford it,\" said Representative Steve Israel, a Democrat.", "Steve Israel"},
    {"\xe2\x80\x9cOnly here,\xe2\x80\x9d said Huckabee campaign spokesman Hogan Gidley.",
     "Hogan Gidley"},
    /* an embedded social-media post */
    {"Bring it, but you won't. \xe2\x80\x94 Michelle Rempel (@MichelleRempel) December 18, 2018",
     "Michelle Rempel"},
    /* a quotation with nobody to say it */
    {"\xe2\x80\x9cNobody knows,\xe2\x80\x9d read the sign on the door.", ""},
    {"The word \xe2\x80\x9coccupied\xe2\x80\x9d appears twice.", ""},
    /* names in other scripts */
    {"\xe2\x80\x9cWe will win,\xe2\x80\x9d said \xd0\x9c\xd0\xb0\xd1\x80\xd0\xb8\xd1\x8f "
     "\xd0\x97\xd0\xb0\xd1\x85\xd0\xb0\xd1\x80\xd0\xbe\xd0\xb2\xd0\xb0.",
     "\xd0\x9c\xd0\xb0\xd1\x80\xd0\xb8\xd1\x8f "
     "\xd0\x97\xd0\xb0\xd1\x85\xd0\xb0\xd1\x80\xd0\xbe\xd0\xb2\xd0\xb0"},
    {"\xe6\x88\x91\xe4\xbb\xac\xe4\xbc\x9a\xe8\x83\x9c\xe5\x88\xa9\xe3\x80\x82", ""},
    {"", ""},
};

static void test_positions(void **state)
{
    (void)state;
    RUN(position_cases);
}

static void test_reported(void **state)
{
    (void)state;
    RUN(reported_cases);
}

static void test_coref(void **state)
{
    (void)state;
    RUN(coref_cases);
}

static void test_not_people(void **state)
{
    (void)state;
    RUN(not_people_cases);
}

static void test_quote_shapes(void **state)
{
    (void)state;
    RUN(quote_shape_cases);
}

/* Spans cover the quoted words; cues and the direct flag are reported. */
static void test_spans(void **state)
{
    (void)state;
    const char *text = "\xe2\x80\x9cWe will win,\xe2\x80\x9d Maria Lopez said. She added that "
                       "nobody doubted it.";
    ni_speakers s;
    assert_int_equal(ni_speakers_extract(text, strlen(text), &s), NI_OK);
    assert_int_equal(s.n_people, 1);
    assert_int_equal(s.n_quotes, 2);
    const ni_quote *q = &s.quotes[0];
    assert_int_equal(q->direct, 1);
    assert_string_equal(q->cue, "said");
    assert_int_equal(q->end - q->start, strlen("We will win,"));
    assert_memory_equal(text + q->start, "We will win,", q->end - q->start);
    q = &s.quotes[1];
    assert_int_equal(q->direct, 0);
    assert_string_equal(q->cue, "added");
    assert_non_null(strstr(text + q->start, "nobody doubted"));
    ni_speakers_clear(&s);

    const char *titled = "The plan will fail, said Finance Minister Maria Lopez.";
    assert_int_equal(ni_speakers_extract(titled, strlen(titled), &s), NI_OK);
    assert_int_equal(s.n_people, 1);
    assert_string_equal(s.people[0].name, "Maria Lopez");
    assert_non_null(s.people[0].role);
    assert_string_equal(s.people[0].role, "Finance Minister");
    ni_speakers_clear(&s);
}

/* The project's seed article (corpus/seed/000_fa08aaa09e1af4d4.txt). */
static const char seed_article[] =
    "The decision of the Russian side to stop negotiations with Japan on a peace treaty remains in "
    "force, since in today’s conditions a corresponding dialogue with Tokyo is impossible, said "
    "Foreign Ministry spokeswoman Maria Zakharova.\n"
    "\n"
    "The diplomat recalled that after the start of the Northeast Military District, Japan adhered "
    "to an openly unfriendly course towards Moscow. In particular, it continues to impose illegal "
    "sanctions, Russophobic sentiments are purposefully incited in Japanese society, joint "
    "military activity with NATO states is increasing near the Far Eastern borders of the Russian "
    "Federation, and direct material and technical assistance is being provided to the Kyiv "
    "regime.\n"
    "\n"
    "“Under such conditions, we do not see any possibility of continuing the previously held "
    "dialogue with Tokyo on concluding a fundamental document, which was intended to lay the "
    "foundation for long-term, good-faith relations,” Zakharova said. “The Russian Federation will "
    "continue to respond to any new hostile attacks by the Japanese authorities with the most "
    "stringent and sensitive countermeasures for Japan with the adequate use of all available "
    "means and instruments, guided solely by its own national interests.”\n"
    "\n"
    "Earlier, Japanese Chief Cabinet Secretary Yoshimasa Hayashi said that Tokyo places full "
    "responsibility for the deterioration of bilateral relations on Moscow. According to him, the "
    "reason is Russia’s decision in March 2022 to withdraw from the dialogue on a peace treaty "
    "with Japan, after Tokyo introduced broad sectoral sanctions against the Russian Federation.\n"
    "\n"
    "“We believe that this whole situation has developed solely because of (the actions -\n"
    "\n"
    "RT\n"
    "\n"
    ") Russia. Attempts to place blame on Japan are extremely unfair and completely unacceptable,” "
    "TASS quoted him as saying.\n"
    "\n"
    "Premier rate\n"
    "\n"
    "In his keynote speech in parliament on January 30, Japanese Prime Minister Fumio Kishida said "
    "that Tokyo still expects to conclude a peace treaty with Moscow. At the same time, Kishida "
    "emphasized that Japan intends to continue its sanctions policy against Russia and support "
    "Kyiv.\n"
    "\n"
    "  • Prime Minister of Japan Fumio Kishida\n"
    "\n"
    "  • AP\n"
    "\n"
    "  • © Rodrigo Reyes Marin\n"
    "\n"
    "Let us recall that the Soviet Union and Japan did not conclude a peace treaty at the end of "
    "World War II due to a dispute over the ownership of the Southern Kuriles - the islands of "
    "Kunashir, Shikotan, Iturup and the Habomai ridge. In 1956, the countries signed a joint "
    "declaration in which Moscow agreed to consider the possibility of transferring the islands of "
    "Habomai and Shikotan to Tokyo after a peace treaty was concluded. However, Japan claims all "
    "the islands and rejects Russian sovereignty over them.\n"
    "\n"
    "Fumio Kishida's statement about his intention to continue working on concluding a peace "
    "treaty was commented on the day before by Deputy Chairman of the Security Council of the "
    "Russian Federation Dmitry Medvedev.\n"
    "\n"
    "According to him, “no one is against” concluding an agreement with the understanding that the "
    "issue of ownership of the Kuril Islands is forever closed in accordance with the Russian "
    "Constitution, and their strategic role will grow, including the deployment of new weapons "
    "there.\n"
    "\n"
    "“We don’t care deeply about the “feelings of the Japanese people” regarding the so-called "
    "northern territories. These are not “disputed territories,” this is Russia,” Medvedev "
    "emphasized.\n"
    "\n"
    "After the start of the SVO, the Japanese authorities consistently introduced broad "
    "restrictions against the Russian Federation and Belarus. Tokyo's sanctions lists include "
    "hundreds of citizens of both countries, as well as many Russian companies. Tokyo froze the "
    "assets of the largest banks in the Russian Federation and introduced a ban on the export of "
    "goods and technologies to Russia, the list of which exceeds 300 items.\n"
    "\n"
    "At the end of March 2022, the Russian Foreign Ministry reported: “Under current conditions, "
    "the Russian side does not intend to continue negotiations with Japan on a peace treaty due to "
    "the impossibility of discussing the signing of a fundamental document on bilateral relations "
    "with a state that takes openly unfriendly positions and seeks to harm the interests of our "
    "country... “All responsibility for damage to bilateral interaction and the interests of Japan "
    "itself lies with official Tokyo, which deliberately chose an anti-Russian course instead of "
    "developing mutually beneficial cooperation and good neighborliness.”\n"
    "\n"
    "After this, in April 2022, the Japanese Ministry of Foreign Affairs published an annual "
    "report on diplomacy - the so-called Blue Book - in which for the first time since 2003 it "
    "designated the northern territories (as Tokyo calls the South Kuril Islands) as “occupied”.\n"
    "\n"
    "\"Improve your status\"\n"
    "\n"
    "In a conversation with RT, the head of the Department of Oriental Studies at MGIMO, Doctor of "
    "Historical Sciences Dmitry Streltsov, noted that in connection with Japan’s current course "
    "towards the Russian Federation, there are no prerequisites for resuming dialogue on the peace "
    "treaty.\n"
    "\n"
    "“Japan sees itself as part of the collective West, acts as a united bloc with it on the issue "
    "of Ukraine and supports all anti-Russian actions. If there is some qualitative change in the "
    "current geopolitical situation for the better, perhaps it will be possible to resume dialogue "
    "on a peace treaty. However, in the current conditions there is no prospect of resolving this "
    "issue,” the expert said.\n"
    "\n"
    "In turn, the head of the Center for Japanese Studies at the Institute of China and Modern "
    "Asia of the Russian Academy of Sciences, Valery Kistanov, called the statement of the "
    "representative of the Japanese Cabinet of Ministers about Russia’s guilt for the "
    "deterioration of bilateral relations devoid of common sense.\n"
    "\n"
    "“In Russian it’s called “getting off a sore head and onto a healthy one.” To blame Russia for "
    "the fact that Japan has imposed the most severe unilateral sanctions against the Russian "
    "Federation is, to put it mildly, illogical,” the expert noted.\n"
    "\n"
    "Tokyo’s position is especially strange, given its geographic distance from Ukraine and the "
    "fact that the Russian special operation does not in any way affect Japan’s national security, "
    "the political scientist added.\n"
    "\n"
    "“Why did Japan begin such anti-Russian actions in all directions, although it is located on "
    "the other side of the planet from Ukraine and Europe? Tokyo follows in the footsteps of "
    "Washington's policy on all points - this was the case throughout the entire post-war period, "
    "and this is also evident in the situation with Ukraine. In addition, Japan believes that it "
    "must improve its status in the international arena. And Prime Minister Kishida is trying to "
    "use things like anti-Russian actions to increase his rating, because it is now very low due "
    "to the failure of domestic economic policy and corruption scandals,” the specialist "
    "explained.\n"
    "\n"
    "Earlier, on January 22, the Yomiuri newspaper published the results of a survey, according to "
    "which the level of support for the Japanese government led by Kishida dropped to a record low "
    "of 24%.\n"
    "\n"
    "Valery Kistanov also expressed the opinion that Fumio Kishida is making efforts to ensure "
    "that Japan becomes the leader of the anti-Russian movement in Asia.\n"
    "\n"
    "“Japan tried to mobilize Asian countries for anti-Russian actions, but Tokyo did not succeed "
    "very well: apart from South Korea and Singapore, virtually no one else shares Japan’s "
    "position regarding the Northeast Military District. Japan is seeking to play a role as a "
    "pro-Western Asian leader on this issue. Tokyo provides enormous financial and material "
    "assistance to Ukraine, Japanese officials constantly travel there,” the analyst recalled.\n"
    "\n"
    "  • Coast of Iturup Island\n"
    "\n"
    "  • RIA News\n"
    "\n"
    "  • © Anton Denisov\n"
    "\n"
    "Kistanov noted that in the context of Kishida’s statement about his intention to conclude a "
    "peace treaty with the Russian Federation, one must remember that he himself, as head of the "
    "Foreign Ministry in the government of Shinzo Abe from 2012 to 2017, actively opposed reaching "
    "a compromise solution with the Russian side regarding the Kuril Islands.\n"
    "\n"
    "“Now that Kishida has come to power, he has fully developed his vision of Russian-Japanese "
    "relations, which is that there can be no compromises, Russia allegedly illegally occupies the "
    "islands of Habomai, Shikotan, Iturup and Kunashir. “This is all written down in official "
    "Japanese documents, including the Blue Book on foreign policy, and is constantly voiced by "
    "Japanese politicians and the media,” the RT interlocutor emphasized.\n"
    "\n"
    "The more the Japanese prime minister’s chair shakes due to numerous scandals within the "
    "ruling party and unsuccessful economic policies, the more actively he promotes this position, "
    "added Valery Kistanov.\n"
    "\n"
    "“We must also take into account that February 7 is coming soon - in Japan this is “Northern "
    "Territories Day.” There will be a national rally, the Prime Minister will speak there and in "
    "his speech will demand the conclusion of a peace treaty and a solution to the territorial "
    "problem without taking into account the interests of Russia,” the expert said.\n"
    "\n"
    "However, the sovereignty of the Russian Federation over these islands is not subject to doubt "
    "and cannot be challenged, Kistanov stated.\n"
    "\n"
    "“Japanese politicians understand perfectly well: there are no such prospects to expect that "
    "Russia will enter into some kind of negotiations on a peace treaty in the near future, "
    "especially taking into account Japanese demands to resolve the territorial problem,” the "
    "political scientist concluded.\n";

static const char *const seed_people[] = {"Maria Zakharova",  "Yoshimasa Hayashi",
                                          "Fumio Kishida",    "Dmitry Medvedev",
                                          "Dmitry Streltsov", "Valery Kistanov"};

static void check_seed(const char *text, size_t len)
{
    ni_speakers s;
    assert_int_equal(ni_speakers_extract(text, len, &s), NI_OK);
    check_invariants(&s, len);
    for (size_t i = 0; i < s.n_people; i++)
        print_message("seed person %zu: %s (%s)\n", i, s.people[i].name,
                      s.people[i].role ? s.people[i].role : "-");
    assert_int_equal(s.n_people, sizeof seed_people / sizeof seed_people[0]);
    for (size_t i = 0; i < s.n_people; i++)
        assert_string_equal(s.people[i].name, seed_people[i]);
    /* Kistanov is quoted directly, and his quotes mention the Kurils */
    size_t kistanov = 5, direct = 0;
    for (size_t i = 0; i < s.n_quotes; i++)
        if (s.quotes[i].person == kistanov && s.quotes[i].direct)
            direct++;
    assert_true(direct >= 3);
    assert_string_equal(s.people[0].role, "Foreign Ministry spokeswoman");
    ni_speakers_clear(&s);
}

static void test_seed(void **state)
{
    (void)state;
    check_seed(seed_article, strlen(seed_article));
}

/* The copy in corpus/ must give the same, when the source tree is there. */
static void test_seed_corpus(void **state)
{
    (void)state;
#ifdef NI_SOURCE_DIR
    FILE *f = fopen(NI_SOURCE_DIR "/corpus/seed/000_fa08aaa09e1af4d4.txt", "rb");
    if (!f)
        skip();
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    check_seed(buf, n);
#else
    skip();
#endif
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *repeat(const char *unit, size_t times, size_t *len)
{
    size_t ul = strlen(unit);
    char *s = malloc(ul * times + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * ul, unit, ul);
    s[ul * times] = '\0';
    *len = ul * times;
    return s;
}

/* The fastest of three runs, checking the result each time. */
static double time_extract(const char *text, size_t len)
{
    double best = 1e9;
    for (int run = 0; run < 3; run++) {
        ni_speakers s;
        double t0 = now();
        assert_int_equal(ni_speakers_extract(text, len, &s), NI_OK);
        double t = now() - t0;
        check_invariants(&s, len);
        ni_speakers_clear(&s);
        if (t < best)
            best = t;
    }
    return best;
}

/* Run on n and 8n copies of unit: no crash, and time grows about linearly
 * (8x the input may cost 8x the time; quadratic work would cost 64x). */
static void check_linear(const char *unit, size_t n)
{
    size_t l1, l8;
    char *a = repeat(unit, n, &l1), *b = repeat(unit, 8 * n, &l8);
    double t1 = time_extract(a, l1), t8 = time_extract(b, l8);
    if (!(t8 < 24.0 * t1 + 0.1))
        print_error("%zu bytes: %.4f s, %zu bytes: %.4f s\n", l1, t1, l8, t8);
    assert_true(t8 < 24.0 * t1 + 0.1);
    free(a);
    free(b);
}

static void test_hostile(void **state)
{
    (void)state;
    /* a 100 KB paragraph with no punctuation, capitalised and not */
    check_linear("Maria Lopez said John ", 5000);
    check_linear("maria lopez said john ", 5000);
    /* thousands of quotes in one article */
    check_linear("\xe2\x80\x9cYes,\xe2\x80\x9d said Maria Lopez. ", 3000);
    check_linear("\"a\" \"b\" said \"c\" ", 3000);
    /* only opening marks, only closing marks */
    check_linear("\xe2\x80\x9c", 20000);
    check_linear("\xe2\x80\x9d said Maria Lopez, ", 5000);
    /* apposition scans that never find their comma */
    check_linear("Maria Lopez , a b c d e f g h i j k l m n o p q r s t u v w x y z , said ", 1000);
    /* invalid UTF-8 and truncated sequences */
    check_linear("\xff\xfe\xe2\x80 Maria \xc3 Lopez said \xf0\x9f", 5000);
    /* names in scripts without case */
    check_linear("\xe6\x88\x91\xe4\xbb\xac said \xd8\xb9\xd9\x84\xd9\x8a. ", 5000);

    /* past 4 MiB a body is not read: bounded memory for any record */
    {
        size_t big = (size_t)5 << 20;
        char *b = malloc(big);
        assert_non_null(b);
        memset(b, ' ', big);
        const char *q = "\"Yes,\" said Maria Lopez.";
        memcpy(b, q, strlen(q));
        memcpy(b + big - strlen(q), q, strlen(q));
        ni_speakers sp;
        assert_int_equal(ni_speakers_extract(b, big, &sp), NI_OK);
        check_invariants(&sp, big);
        assert_int_equal(sp.n_people, 1);
        assert_int_equal(sp.n_quotes, 1);
        assert_true(sp.quotes[0].end < 100);
        ni_speakers_clear(&sp);
        free(b);
    }
    /* a body that is not NUL-terminated is read only up to len */
    const char text[] = {'"', 'Y', 'e', 's', '"', ' ', 's', 'a', 'i', 'd', ' ',
                         'M', 'a', 'r', 'i', 'a', ' ', 'L', 'o', 'p', 'e', 'z'};
    ni_speakers s;
    assert_int_equal(ni_speakers_extract(text, sizeof text, &s), NI_OK);
    check_invariants(&s, sizeof text);
    ni_speakers_clear(&s);
    assert_int_equal(ni_speakers_extract(NULL, 0, &s), NI_OK);
    assert_int_equal(s.n_people, 0);
    ni_speakers_clear(&s);
    ni_speakers_clear(NULL);
}

/* Every allocation failure is reported as NI_ENOMEM with an empty result. */
static void test_alloc_failure(void **state)
{
    (void)state;
    size_t len = strlen(seed_article);
    for (unsigned long k = 1;; k++) {
        ni_speakers s;
        ni_alloc_fail_at(k);
        ni_status st = ni_speakers_extract(seed_article, len, &s);
        ni_alloc_fail_at(0);
        if (st == NI_OK) {
            assert_int_equal(s.n_people, 6);
            ni_speakers_clear(&s);
            break;
        }
        assert_int_equal(st, NI_ENOMEM);
        assert_int_equal(s.n_people, 0);
        assert_int_equal(s.n_quotes, 0);
        assert_null(s.people);
        assert_true(k < 100000);
    }
}

/* The lexicon is searched by bisection: it must be sorted and unique. */
static void test_lexicon_sorted(void **state)
{
    (void)state;
    assert_true(ni_speakers_lex_count > 100);
    for (size_t i = 1; i < ni_speakers_lex_count; i++) {
        if (strcmp(ni_speakers_lex[i - 1].word, ni_speakers_lex[i].word) >= 0)
            print_error("lexicon out of order at %zu: %s\n", i, ni_speakers_lex[i].word);
        assert_true(strcmp(ni_speakers_lex[i - 1].word, ni_speakers_lex[i].word) < 0);
    }
    for (size_t i = 0; i < ni_speakers_lex_count; i++)
        assert_int_equal(ni_speakers_lex_lookup(ni_speakers_lex[i].word), ni_speakers_lex[i].flags);
    assert_int_equal(ni_speakers_lex_lookup("zzzz"), 0);
    assert_true(ni_speakers_lex_lookup("said") & NI_SPK_CUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),      cmocka_unit_test(test_reported),
        cmocka_unit_test(test_coref),          cmocka_unit_test(test_not_people),
        cmocka_unit_test(test_quote_shapes),   cmocka_unit_test(test_spans),
        cmocka_unit_test(test_seed),           cmocka_unit_test(test_seed_corpus),
        cmocka_unit_test(test_hostile),        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_lexicon_sorted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
