# generates indexer/speakers_lex.c and .h from the word lists below
# usage: python3 indexer/gen/genlex.py indexer
import sys
F = {}
def add(flag, words):
    for w in words.split():
        F.setdefault(w.lower(), set()).add(flag)

def verbs(forms):  # forms: space separated lemma groups "say:says,said,saying"
    out = []
    for grp in forms.split():
        out += grp.replace(':', ',').split(',')
    return ' '.join(out)

# reporting verbs, every tense form
CUE_SRC = """say:says,said,saying tell:tells,told,telling add:adds,added,adding note:notes,noted,noting
state:states,stated emphasize:emphasizes,emphasized emphasise:emphasises,emphasised
stress:stresses,stressed explain:explains,explained recall:recalls,recalled conclude:concludes,concluded
warn:warns,warned argue:argues,argued insist:insists,insisted write:writes,wrote,written
claim:claims,claimed assert:asserts,asserted acknowledge:acknowledges,acknowledged admit:admits,admitted
announce:announces,announced declare:declares,declared confirm:confirms,confirmed comment:comments,commented
suggest:suggests,suggested observe:observes,observed remark:remarks,remarked respond:responds,responded
reply:replies,replied answer:answers,answered ask:asks,asked testify:testifies,testified
predict:predicts,predicted report:reports,reported reveal:reveals,revealed disclose:discloses,disclosed
indicate:indicates,indicated contend:contends,contended
complain:complains,complained counter:counters,countered caution:cautions,cautioned urge:urges,urged
vow:vows,vowed promise:promises,promised pledge:pledges,pledged deny:denies,denied
allege:alleges,alleged joke:jokes,joked quip:quips,quipped shout:shouts,shouted yell:yells,yelled
recount:recounts,recounted concede:concedes,conceded boast:boasts,boasted proclaim:proclaims,proclaimed
tweet:tweets,tweeted post:posted continue:continues,continued mention:mentions,mentioned
describe:describes,described estimate:estimates,estimated point:points,pointed
call:calls,called agree:agrees,agreed clarify:clarifies,clarified elaborate:elaborates,elaborated
exclaim:exclaims,exclaimed whisper:whispers,whispered lament:laments,lamented
muse:muses,mused recall reiterate:reiterates,reiterated underline:underlines,underlined
underscore:underscores,underscored specify:specifies,specified repeat:repeats,repeated
inform:informs,informed advise:advises,advised assure:assures,assured charge:charges,charged
retort:retorts,retorted scoff:scoffs,scoffed sigh:sighs,sighed
quote:quotes,quoted accuse:accuses,accused criticize:criticizes,criticized criticise:criticises,criticised
slam:slams,slammed blast:blasts,blasted praise:praises,praised condemn:condemns,condemned mock:mocks,mocked
question:questions,questioned dismiss:dismisses,dismissed"""
CUE = verbs(CUE_SRC)
add('CUE', CUE)
BASE = ' '.join(grp.split(':')[0] for grp in CUE_SRC.split())
add('BASE', BASE)
# verbs that appear inverted: '..., said X'
INV = """say says said add adds added note notes noted explain explains explained write writes wrote
continue continues continued ask asks asked recall recalls recalled state states stated emphasize
emphasizes emphasized emphasise emphasised conclude concludes concluded warn warns warned insist insists insisted
argue argues argued observe observes observed remark remarks remarked reply replies replied respond responds
responded answer answers answered tweet tweets tweeted counter counters countered quip quips quipped
joke jokes joked acknowledge acknowledges acknowledged admit admits admitted claim claims claimed stress stresses
stressed declare declares declared explain added wrote recount recounts recounted concede concedes conceded
exclaim exclaims exclaimed retort retorts retorted sigh sighs sighed reiterate reiterates reiterated
comment comments commented confirm confirms confirmed"""
add('INV', INV)
# verbs that need an object or particle to be speech: 'point out', 'call for'
add('WEAK', 'accuse accuses accused criticize criticizes criticized criticise criticises criticised slam slams slammed blast blasts blasted praise praises praised condemn condemns condemned mock mocks mocked question questions questioned dismiss dismisses dismissed point points pointed call calls called agree agrees agreed post posted charge charges charged '
    'describe describes described estimate estimates estimated report reports reported '
    'continue continues continued promise promises promised '
    'inform informs informed advise advises advised deny denies denied urge urges urged '
    'predict predicts predicted indicate indicates indicated repeat repeats repeated answer answers answered '
    'comment comments commented suggest suggests suggested')
add('SAYING', 'saying')
add('QUOTED', 'quoted')
add('ACCORDING', 'according')
add('TELL', 'tell tells told telling inform informs informed advise advises advised assure assures assured')
# words that may stand between a subject and its verb
add('AUX', """has have had will would could can may might should shall must did does do also later then
previously recently earlier once again further repeatedly publicly privately never just already first
often still soon quickly simply only even reportedly allegedly apparently initially finally
originally subsequently separately similarly immediately frequently openly flatly directly
specifically explicitly bluntly candidly angrily proudly confidently cautiously famously
personally himself herself herself themselves yesterday today tonight""")
add('BE', 'is was were are be been being am')
add('NEG', 'not never')
add('PRON', 'he she him her')
add('PRONX', 'they them we i you it us me who which that this these those one')
# role nouns that refer back to a named person
add('ROLE', """expert diplomat analyst scientist spokeswoman spokesman spokesperson interlocutor specialist
minister president senator professor researcher economist lawyer attorney author writer director
chairman chairwoman chair leader politician candidate businessman businesswoman chief premier
prime governor mayor commissioner ambassador officer executive founder ceo coach manager
historian doctor physician scholar activist advocate lawmaker legislator congressman congresswoman
judge prosecutor secretary strategist pollster consultant adviser advisor organizer organiser
head deputy envoy representative owner actor actress singer player star veteran ex-president
nominee frontrunner front-runner billionaire mogul journalist reporter columnist commentator
observer critic professor sociologist psychologist chancellor host president-elect victim witness
mother father son daughter wife husband woman man resident student teacher officer detective
sergeant constable superintendent inspector captain councillor councilor alderman trustee
pastor priest rabbi imam bishop cardinal pope""")
add('DET', 'the')
add('PREP', 'of for with by to from at in on about against after before like than into over under between among during without within via per toward towards upon amid')
add('OFLIKE', 'of for at')
add('THAT', 'that')
add('AND', 'and')
add('AS', 'as')
add('TO', 'to')
# titles and honorifics, stripped from names and kept as the role
add('HONOR', """mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sen sen. rep rep. gov gov. gen gen. lt lt. col col.
sgt sgt. capt capt. rev rev. cmdr cmdr. adm adm. maj maj. cpl cpl. pvt pvt. hon hon. atty atty. det det.
supt supt. insp insp. const const. cst cst. sir dame lord lady mx mx. messrs messrs. mme mme. mlle
president senator governor mayor premier judge justice professor doctor pope king queen prince princess
chancellor ambassador bishop rabbi imam reverend father sister brother rep. pres pres. secretary minister
chairman chairwoman coach sheriff commissioner councillor councilor alderman representative congressman
congresswoman sergeant constable detective inspector superintendent captain lieutenant colonel general
admiral commander chief officer speaker""")
add('TITLE', """president vice prime minister secretary chief deputy director judge justice mayor governor
senator representative premier chancellor king queen prince princess pope bishop father coach
professor doctor general captain officer constable sergeant detective inspector superintendent
commissioner chairman chairwoman chair spokesman spokeswoman spokesperson ambassador envoy councillor
councilor alderman mp mpp mla mep sir dame lord lady rabbi imam reverend assistant associate executive
head leader speaker attorney lawyer prosecutor commander colonel lieutenant admiral marshal
candidate nominee founder co-founder cofounder owner manager coordinator analyst economist strategist member
interim acting former late then-president then senior junior dean provost principal sheriff
ceo cfo coo cto president-elect congressman congresswoman delegate secretary-general undersecretary
sen. rep. gov. gen. lt. col. sgt. capt. rev. cmdr. adm. maj. cpl. pvt. hon. atty. det. supt. insp. const.
mr. mrs. ms. dr. prof. mr mrs ms dr prof pres. cst. cst agent trooper corporal private
archbishop cardinal pastor priest emir sheikh sultan ayatollah crown grand supreme top
foreign finance defence defense interior health justice trade education energy environment
labour labor economy transport treasury public national federal state provincial regional
municipal city county district federal general attorney-general solicitor solicitor-general
opposition party caucus whip majority minority floor ranking committee subcommittee
democratic republican liberal conservative democrat republican labour ndp gop tory
independent socialist communist libertarian progressive bloc presidential vice-president
secretary-general director-general managing editor editor-in-chief publisher host anchor producer
mlb nba nfl nhl fifa uefa olympic world""")
add('ORG', """ministry department university college school institute institution center centre council
committee commission association foundation society union federation league agency bureau office
authority board bank group company corporation corp corp. inc inc. ltd ltd. llc plc co. gmbh ag sa
news times post journal press herald tribune telegraph gazette chronicle globe mail daily weekly
magazine network media radio tv television channel broadcasting studios pictures records
government parliament congress senate assembly cabinet court tribunal police army navy
forces force guard party coalition alliance movement front caucus campaign club team fc
hospital clinic museum library church mosque temple airlines airways airport railway railways
street avenue road boulevard square city county province state region district island islands
republic kingdom states nations emirates federation territories territory
international global national services service systems solutions technologies technology industries
holdings partners capital investments securities energy oil gas motors pharmaceuticals labs laboratory
laboratories research studies sciences science academy program programme project initiative fund trust
treaty agreement accord act constitution charter declaration report survey index
day week month year festival games olympics cup championship championships tour series award awards prize
organization organisation organizations council councils secretariat directorate administration
kremlin pentagon whitehouse bundestag duma knesset commons lords legislature
reuters tass ria interfax xinhua afp ap upi bloomberg cnn bbc nbc abc cbs fox msnbc npr pbs cbc ctv
rt sputnik kyodo yonhap al-jazeera aljazeera politico axios breitbart buzzfeed vox slate salon
google facebook twitter microsoft apple amazon netflix tesla uber youtube instagram
exchange market markets stock stocks airline brands foods store stores restaurant restaurants
mall hotel hotels casino stadium arena centre center hall
democrats republicans conservatives liberals tories
district house affairs security article war statistics electronics development assessment tours mobile guild tenants
abuse action services association associates council network networks coalition alliance
enterprises entertainment communications telecom airlines insurance realty properties
brewers brewery farms foods motors automotive construction consulting logistics
ventures products devices software group groups studio studios publishing books records
division unit squad bureau department departments agency agencies office offices
commons regiment battalion brigade corps ministries institutes centres centers
association bancorp financial credit savings mutual life health care healthcare medical
sciences hospitals university universities colleges schools academy
foundation foundations trust trusts charities charity relief aid mission missions
federation unions union workers employees teachers nurses doctors police fire rescue
transit transportation housing tenants residents citizens veterans immigrants
refugees citizenship immigration canada
dems gop""".replace('?', ''))
add('STOP', """the a an this that these those in on at but and or if when while after before as for from with
without by of to it he she they we i you his her their our my its there here yes no not so then now
today yesterday tomorrow meanwhile however also still earlier later last next according asked
speaking despite during since although though because why what who whom whose how where which whether
many some all both each every most more other such one two three four five six seven eight nine ten
dear please thank thanks hello oh well just even only like unlike under over about among between into
through than via per update updated photo photos video videos image images source sources related
advertisement click share copyright read watch listen subscribe sign follow more story stories
monday tuesday wednesday thursday friday saturday sunday january february march july september october
november december jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec.
new old north south east west northern southern eastern western central upper lower greater
st. st san santa los las
mr. mrs. ms. dr. prof. is are was were would can could should might must do does did
has have had be been being says said told added what's here's that's it's there's let let's
instead indeed perhaps maybe rather otherwise therefore thus hence once again always never
first second third finally overall anyway besides further furthermore moreover nevertheless
nonetheless regardless whatever whoever whenever wherever we're they're you're i'm he's she's
don't doesn't didn't won't can't isn't aren't wasn't weren't hasn't haven't hadn't
among amid amidst around across along behind beyond within upon toward towards against
""")
# demonyms and place words: stripped before names, never a person alone
add('PLACE', """japanese russian american canadian british english scottish welsh irish french german italian
spanish portuguese dutch belgian swiss austrian swedish norwegian danish finnish polish czech
slovak hungarian romanian bulgarian greek turkish ukrainian belarusian georgian armenian
azerbaijani kazakh uzbek chinese korean taiwanese vietnamese thai indian pakistani afghan iranian
iraqi syrian lebanese israeli palestinian jordanian saudi egyptian libyan tunisian algerian
moroccan nigerian kenyan ethiopian somali sudanese african european asian latin mexican
brazilian argentine argentinian chilean colombian venezuelan peruvian cuban australian
zealander filipino indonesian malaysian singaporean soviet western arab muslim jewish
catholic ontario quebec alberta manitoba saskatchewan nova scotia brunswick newfoundland
yukon nunavut toronto montreal vancouver ottawa calgary edmonton winnipeg halifax regina
london paris berlin rome madrid moscow tokyo beijing seoul kyiv kiev
washington york chicago boston angeles francisco seattle miami dallas houston atlanta
detroit denver phoenix philadelphia baltimore brooklyn manhattan california texas florida
ohio iowa virginia carolina georgia pennsylvania michigan arizona nevada colorado oregon utah
wisconsin minnesota missouri kentucky tennessee alabama mississippi louisiana arkansas
oklahoma kansas nebraska dakota montana idaho wyoming alaska hawaii maine vermont
massachusetts connecticut delaware maryland jersey illinois indiana
canada japan russia china america britain england scotland wales ireland france germany
italy spain portugal netherlands belgium switzerland austria sweden norway denmark finland
poland ukraine belarus turkey iran iraq syria israel egypt libya india pakistan afghanistan
korea vietnam thailand mexico brazil argentina chile colombia venezuela cuba australia
europe asia africa us u.s. u.k. uk usa eu un u.n. nato ussr
kurils kuriles kuril crimea donbas siberia caribbean pacific atlantic arctic
hampshire rhode mexico orleans vegas diego brooklyn bronx
midwest appalachia
""")
add('PARTICLE', 'de da van von der den del della di du le la bin ibn al el dos das ter ten y')
add('SUFFIX', 'jr jr. sr sr. ii iii iv')
add('ABBR', 'mr mrs ms dr prof sen rep gov gen lt col sgt capt rev cmdr adm maj cpl pvt hon atty det supt insp cst st jr sr mt ft no vs etc inc corp co ltd jan feb mar apr jun jul aug sep sept oct nov dec pres mx messrs')
add('MONTHS', '')

# plural demonyms: Americans, Russians...
for w in list(F):
    if "PLACE" in F[w] and (w.endswith("an") or w.endswith("i")) and len(w) > 4:
        F.setdefault(w + 's', set()).add('PLACE')
# words that never end a name even though capitalised
items = sorted(F.items())
LOOKUP = """unsigned ni_speakers_lex_lookup_n(const char *word, size_t n)
{
    if (n == 0 || n > 23)
        return 0;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)word[i];
        if (c >= 0x80)
            return 0;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        h ^= c;
        h *= 16777619u;
    }
    for (uint32_t j = h & %du;; j = (j + 1) & %du) {
        int k = lex_index[j].k;
        if (k < 0)
            return 0;
        if (lex_index[j].hash != h)
            continue;
        const char *w = ni_speakers_lex[k].word;
        size_t i = 0;
        for (; i < n; i++) {
            unsigned char c = (unsigned char)word[i];
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            if ((unsigned char)w[i] != c)
                break;
        }
        if (i == n && w[n] == '\\0')
            return ni_speakers_lex[k].flags;
    }
}

unsigned ni_speakers_lex_lookup(const char *word)
{
    return ni_speakers_lex_lookup_n(word, strlen(word));
}

unsigned ni_speakers_lex_lookup_hashed(const char *word, size_t n, uint32_t h)
{
    if (n == 0 || n > 23)
        return 0;
    for (uint32_t j = h & %du;; j = (j + 1) & %du) {
        int k = lex_index[j].k;
        if (k < 0)
            return 0;
        if (lex_index[j].hash != h)
            continue;
        const char *w = ni_speakers_lex[k].word;
        size_t i = 0;
        while (i < n && (unsigned char)w[i] == ((unsigned char)word[i] | 0x20))
            i++;
        if (i == n && w[n] == '\\0')
            return ni_speakers_lex[k].flags;
    }
}
"""
flags = ['CUE','INV','WEAK','SAYING','QUOTED','ACCORDING','TELL','AUX','BE','NEG','PRON','PRONX','ROLE','DET',
         'THAT','AND','AS','TO','PREP','OFLIKE','HONOR','TITLE','ORG','STOP','PLACE','PARTICLE','SUFFIX','ABBR','BASE']
assert len(flags) <= 32
out = []
out.append("""/*
 * speakers_lex.c — the word lists of the speaker extractor: one table of
 * lower-case words (ASCII, at most 23 bytes), sorted by strcmp, with the
 * classes each belongs to, and a hash index over it (FNV-1a, linear
 * probing, 4096 slots, each with its word's hash, so that a probe reads
 * the word only when the hashes agree) for the look-ups.  The lists are English lexicons:
 * reporting verbs in every tense, auxiliaries, pronouns, role nouns,
 * titles and honorifics, organisation words, demonyms and place names,
 * name particles; never names of particular people.  Both tables are
 * generated from the category lists by indexer/gen/genlex.py; regenerate rather than
 * edit by hand (test_speakers checks the order and that every word is
 * found through the index).
 */
""")
out.append('#include "speakers_lex.h"\n\n#include <stdint.h>\n#include <string.h>\n\n')
out.append('const ni_spk_lexent ni_speakers_lex[] = {\n')
for w, fs in items:
    assert len(w) <= 23, w
    fl = ' | '.join('NI_SPK_' + f for f in flags if f in fs)
    out.append('    {"%s", %s},\n' % (w, fl))
out.append('};\n\nconst size_t ni_speakers_lex_count = sizeof ni_speakers_lex / sizeof ni_speakers_lex[0];\n\n')
def fnv(w):
    h = 2166136261
    for ch in w.encode():
        h ^= ch
        h = (h * 16777619) & 0xffffffff
    return h
SIZE = 4096
assert len(items) * 2 < SIZE
slots = [-1] * SIZE
for idx, (w, fs) in enumerate(items):
    j = fnv(w) & (SIZE - 1)
    while slots[j] != -1:
        j = (j + 1) & (SIZE - 1)
    slots[j] = idx
out.append('/* Open addressing over the table above: FNV-1a of the word, linear probing;\n'
           ' * k is the word\'s index in ni_speakers_lex (-1: a free slot), hash its hash. */\n')
out.append('/* clang-format off */\n')
out.append('static const struct {\n    uint32_t hash;\n    int16_t k;\n} lex_index[%d] = {\n' % SIZE)
for k in range(0, SIZE, 4):
    out.append('    ' + ' '.join('{%du, %d},' % (fnv(items[v][0]) if v >= 0 else 0, v)
                             for v in slots[k:k + 4]) + '\n')
out.append('};\n/* clang-format on */\n\n')
out.append(LOOKUP % (SIZE - 1, SIZE - 1, SIZE - 1, SIZE - 1))
open(sys.argv[1] + '/speakers_lex.c', 'w').write(''.join(out))
h = ['/*\n * speakers_lex.h — interface to code in speakers_lex.c: the word classes of\n'
     ' * the speaker extractor.  Private to indexer/speakers*.c.\n */\n',
     '#ifndef NEWSINDEX_SPEAKERS_LEX_H\n#define NEWSINDEX_SPEAKERS_LEX_H\n\n#include <stddef.h>\n#include <stdint.h>\n\n',
     'enum {\n']
for i, f in enumerate(flags):
    h.append('    NI_SPK_%s = 1u << %d,\n' % (f, i))
h.append('};\n\ntypedef struct {\n    const char *word;\n    unsigned flags;\n} ni_spk_lexent;\n\n')
h.append('extern const ni_spk_lexent ni_speakers_lex[];\nextern const size_t ni_speakers_lex_count;\n\n')
h.append('/* The classes of word (lower-case, NUL-terminated), 0 when it is in no list. */\n')
h.append('unsigned ni_speakers_lex_lookup(const char *word);\n')
h.append('/* The same for word[0..n), any case: ASCII letters are folded. */\n')
h.append('unsigned ni_speakers_lex_lookup_n(const char *word, size_t n);\n')
h.append('/* The same for a word of ASCII letters and digits only, given h, the FNV-1a\n * hash (offset 2166136261, prime 16777619) of its lower-cased bytes. */\n')
h.append('unsigned ni_speakers_lex_lookup_hashed(const char *word, size_t n, uint32_t h);\n\n#endif\n')
open(sys.argv[1] + '/speakers_lex.h', 'w').write(''.join(h))
print(len(items), 'entries')
