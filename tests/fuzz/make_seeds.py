#!/usr/bin/env python3
"""make_seeds.py — writes the generated part of the seed corpora in
tests/fuzz/<target>/ (files named gen-*).  Crash reproducers found by fuzzing
are added by hand as crash-* files and are never rewritten here.  Every seed
is small (a few KB at most) and made up here: no data from elsewhere.

Usage: python3 tests/fuzz/make_seeds.py   (from anywhere)"""
import gzip
import os
import shutil
import struct
import subprocess
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))

BODY = ('TOKYO (Newswire) - "We will not give up the islands," said Valery Kistanov, '
        'head of the Center for Japanese Studies in Moscow, on Monday. Japan\'s prime '
        'minister, Fumio Kishida, told reporters on Jan. 29 that talks held in March 2023 '
        'had failed. "The peace treaty must wait," he said.\n\nRussia and Japan never '
        'signed a treaty after 1945. According to the foreign ministry, a new round is '
        'planned for next spring.')
BODY2 = ('NEW DELHI - India expects a record wheat harvest this year, officials said '
         'yesterday. \u201cPrices will fall by April,\u201d said Anil Kumar, a spokesman '
         'for the farm ministry. Exports to Bangladesh, Nepal and Sri Lanka stay banned '
         'until 2025, the ministry said in a statement on 3 April 2024.')
BODY3 = ('BERLIN - East Germans crossed into West Berlin on Nov. 9, 1989. \u201eWir kommen '
         'wieder\u201c, said Renate Vogel, 52. The Soviet Union and the U.S. watched; '
         'Chancellor Helmut Kohl said the day after tomorrow would bring talks. '
         'Mr. Brandl: "The banks stayed open all weekend."')


def write(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode('utf-8', 'surrogatepass')
    with open(os.path.join(d, 'gen-' + name), 'wb') as f:
        f.write(data)


def clean():
    for t in os.listdir(HERE):
        d = os.path.join(HERE, t)
        if os.path.isdir(d):
            for n in os.listdir(d):
                if n.startswith('gen-'):
                    os.unlink(os.path.join(d, n))


def jl(**kw):
    import json
    return json.dumps(kw, ensure_ascii=False)


def readers():
    t = 'reader_txt'
    write(t, 'headers', 'Title: Kurils talks\nDate: January 30, 2024\nSource: Newswire\n'
          'URL: https://example.com/a\nAuthor: A. Writer\nUID: k-1\nPublished: 2024-01-30\n'
          'Publisher: Wire\nLanguage: en\n\n' + BODY + '\n')
    write(t, 'noheaders', BODY)
    write(t, 'crlf', ('Title: CRLF\r\nDate: 2024-01-30T10:00:00Z\r\n\r\n' + BODY).replace('\n', '\r\n'))
    write(t, 'bom', '\ufeffTitle: BOM\n\n' + BODY2)
    write(t, 'only-headers', 'Title: nothing\nDate: 1 Jan 2020\n')
    write(t, 'empty', b'')
    write(t, 'blank', b'\n\n  \n\t\n')
    write(t, 'title-only-line', 'Just one line with no newline')
    write(t, 'colon-body', 'Note: this is not a header\nbut text: with colons\n\n' + BODY3)
    write(t, 'invalid-utf8', b'Title: caf\xe9\n\nbad \xff\xfe bytes \xc0\xaf and \xed\xa0\x80 end\n')
    write(t, 'nul', b'Title: nul\n\nbody with \x00 a nul\n')
    write(t, 'utf16', '\ufeffTitle: wide\n\nhello\n'.encode('utf-16-le'))
    write(t, 'long-header', 'Title: ' + 'x' * 3000 + '\n\nshort body\n')
    write(t, 'over-limit', 'Title: big\n\n' + ('word ' * 600))
    write(t, 'control', b'Title: ctl\n\n' + bytes(range(1, 32)) * 4 + b'\n')
    write(t, 'dup-headers', 'Title: one\nTitle: two\nDate: x\nDate: 2024-02-30\n\nbody\n')
    write(t, 'gzip', gzip.compress(('Title: gz\n\n' + BODY2).encode()))

    t = 'reader_jsonl'
    write(t, 'good', '\n'.join([jl(id='a', title='Kurils', body=BODY, date='2024-01-30'),
                                jl(uid='b', headline='Wheat', text=BODY2, published='2024-04-03T08:00:00+05:30',
                                   source='Farm', url='https://x/y', authors=['A', 'B'], lang='en'),
                                jl(title='Berlin', maintext=BODY3, date_publish=627177600)]) + '\n')
    write(t, 'wrappers', jl(title={'rendered': 'WP title'}, content={'rendered': '<p>Body</p>'},
                            date={'main': '2024-01-01'}, source={'name': 'NewsAPI'}, author={'value': 'X'}) + '\n')
    write(t, 'malformed', '{"title": "ok", "body": "fine"}\n{"title": bad}\n{"title":"x","body":"y"\n[1,2]\n"str"\n42\nnull\n{}\n')
    write(t, 'escapes', '{"title":"\\u00e9\\ud83d\\ude00","body":"a\\nb\\t\\"c\\"\\\\ \\u0000 \\ud800 \\udc00x \\/"}\n')
    write(t, 'nested', '{"title":"n","body":"b","x":' + '[' * 200 + ']' * 200 + '}\n')
    write(t, 'deep', '[' * 1500 + '\n')
    write(t, 'numbers', '{"title":1e400,"body":-0,"date":1706572800000,"id":123456789012345678901234567890}\n')
    write(t, 'dup-keys', '{"title":"a","Title":"b","title":"c","body":"x","body":"y"}\n')
    write(t, 'blank-lines', '\n\n   \n{"title":"t","body":"b"}\n\n\t\n')
    write(t, 'no-final-newline', '{"title":"t","body":"b"}')
    write(t, 'long-line', jl(title='long', body='word ' * 500) + '\n' + jl(title='after', body='kept') + '\n')
    write(t, 'invalid-utf8', b'{"title":"caf\xe9","body":"\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80"}\n')
    write(t, 'nul', b'{"title":"n","body":"a\x00b"}\n{"title":"ok","body":"ok"}\n')
    write(t, 'types', '{"title":["a","b"],"body":{"text":"wrapped"},"authors":[{"name":"X"},3,null],"date":true}\n')
    write(t, 'crlf', '{"title":"a","body":"b"}\r\n{"title":"c","body":"d"}\r\n')

    t = 'reader_json'
    write(t, 'array', '[\n' + ',\n'.join([jl(title='A', body=BODY), jl(title='B', body=BODY2)]) + '\n]\n')
    write(t, 'single', jl(title='S', body=BODY3, date='Mon, 30 Jan 2024 10:00:00 +0000'))
    write(t, 'nested-array', '[[' + jl(title='A', body='x') + '], ' + jl(title='B', body='y') + ']')
    write(t, 'bad-element', '[{"title":"a","body":"b"}, 3, "x", {"title": }, {"title":"c","body":"d"}]')
    write(t, 'truncated', '[{"title":"a","body":"b"}, {"title":"c","bo')
    write(t, 'trailing', '{"title":"a","body":"b"} garbage {"title":"c"}')
    write(t, 'empty-array', '[]')
    write(t, 'concatenated', '{"title":"a","body":"b"}\n{"title":"c","body":"d"}\n')
    write(t, 'deep', '[' * 3000)
    write(t, 'deep-obj', '{"a":' * 500 + '1' + '}' * 500)
    write(t, 'strings-with-brackets', '[{"title":"[{]}","body":"\\"]}[{"}]')
    write(t, 'big-element', '[' + jl(title='big', body='y' * 3000) + ',' + jl(title='ok', body='z') + ']')
    write(t, 'whitespace', ' \n\t [ \n ] \n ')
    write(t, 'bom', '\ufeff[{"title":"bom","body":"b"}]')

    t = 'reader_gz'
    good = ('\n'.join([jl(title='A', body=BODY), jl(title='B', body=BODY2)]) + '\n').encode()
    write(t, 'good', gzip.compress(good))
    write(t, 'plain', good)
    write(t, 'truncated', gzip.compress(good)[:-20])
    write(t, 'two-members', gzip.compress(good[:200]) + gzip.compress(good))
    write(t, 'bad-crc', gzip.compress(good)[:-8] + b'\0\0\0\0' + gzip.compress(good)[-4:])
    write(t, 'bomb', gzip.compress(b'\0' * 200000, 9))
    write(t, 'line-bomb', gzip.compress(b'{"title":"x","body":"' + b'a' * 100000 + b'"}\n' + good, 9))
    write(t, 'garbage-after', gzip.compress(good) + b'garbage')
    write(t, 'header-only', gzip.compress(good)[:10])
    write(t, 'empty', gzip.compress(b''))
    z = zlib.compressobj(6, zlib.DEFLATED, 31)
    write(t, 'stored-blocks', gzip.compress(good, 0))


def pubdate():
    for i, s in enumerate([
            '2024-01-30', '2024-01-30T10:00:00Z', '2024-01-30T23:59:59+05:30', '2024-01-30 10:00',
            'Mon, 30 Jan 2024 10:00:00 +0000', 'Tue, 1 Feb 2022 00:00:00 GMT', '30 January 2024',
            'January 30, 2024', 'Jan. 30, 2024', '2024/01/30', '1706572800', '1706572800000',
            '2024-02-29', '2023-02-29', '2024-13-01', '2024-00-10', '0000-01-01', '9999-12-31',
            '99999999999999999999', '-1', '', ' ', '2024', '2024-01', 'yesterday', '31/12/2023',
            '12/31/2023', '2024-01-30T', '2024-01-30T25:00:00Z', '\u0662\u0660\u0662\u0664-01-30',
            'Sept 5, 1999', '5 Sept. 1999', '1999-09-05T00:00:00.000-07:00', '2024\x00-01-30']):
        write('pubdate', '%02d' % i, s)
    write('pubdate', 'path1', '/data/2024/01/30/story.txt')
    write('pubdate', 'path2', 'dumps/2024-01-30-story.jsonl')
    write('pubdate', 'path3', '/a/2024/13/40/x.txt')


def query():
    qs = ['kurils', 'speaker:Kistanov Kurils', 'speaker:"Valery Kistanov"', '"peace treaty"',
          'harvest OR wheat', 'NOT weather', '-storm texas', '(japan OR russia) AND treaty',
          'country:JP', 'country:"United States" weather', 'country:Narnia', 'date:2024',
          'date:2023-03..2024', 'date:..2021', 'date:2024-01-30..', 'when:yesterday..today',
          'when:7d..', 'date:2024-02-30', 'title:wheat', 'source:Newswire', 'said:islands',
          'kuril*', '"peace tre"*', '*', '* -wheat', 'U.S.', 'anti-Russian', 'NEAR(a b)', '{a}',
          "it's", 'a^b', 'x:y:z', '((((a', 'title:', '-', '((a OR b) (c OR (d -e)))',
          'speaker:(Kistanov OR Kumar)', 'country:(JP OR IN) -country:US', 'a AND', 'OR',
          'weather OR country:NZ', '"unterminated', 'caf\u00e9 na\u00efve \u00fcber',
          '\u6771\u4eac', 'date:(2024 OR 2023)', 'when:2023-03', 'a' * 300, '" "', '""', '()',
          'NOT NOT NOT a', 'speaker:', '**', 'a*b', 'country:jp country:ru country:in',
          '(' * 20 + 'a' + ')' * 20, ' '.join(['w%d' % i for i in range(300)])]
    for i, q in enumerate(qs):
        write('query', '%02d' % i, q)
    write('query', 'nul', b'a\x00b')
    write('query', 'bad-utf8', b'caf\xe9 \xed\xa0\x80')


def codec():
    def blob(text, level=6, tag=1, promised=None):
        z = zlib.compress(text, level)
        n = len(text) if promised is None else promised
        return bytes([tag]) + struct.pack('<I', n) + z
    write('codec', 'good', blob(BODY.encode()))
    write('codec', 'good-utf8', blob(BODY2.encode()))
    write('codec', 'empty', blob(b''))
    write('codec', 'short-promise', blob(BODY.encode(), promised=10))
    write('codec', 'long-promise', blob(BODY.encode(), promised=100000))
    write('codec', 'huge-promise', blob(b'abc', promised=0xffffffff))
    write('codec', 'bad-tag', blob(b'abc', tag=2))
    write('codec', 'truncated', blob(BODY.encode())[:30])
    write('codec', 'header-only', b'\x01\x03\x00\x00\x00')
    write('codec', 'tiny', b'\x01')
    write('codec', 'nothing', b'')
    write('codec', 'trailing', blob(b'hello') + b'extra')
    write('codec', 'zeros', blob(b'\0' * 5000, 9))
    write('codec', 'raw-text', BODY3.encode())
    write('codec', 'level0', blob(BODY.encode(), 0))
    codec_zstd()


def codec_zstd():
    """Format 0x02 bodies: the frames come from the zstd command (apt-get
    install zstd) with the options codec.c compresses with, minus the magic
    number.  None needs a dictionary: fuzz_codec.c trains its own."""
    if not shutil.which('zstd'):
        print('make_seeds.py: no zstd command, format 0x02 codec seeds not rewritten')
        return

    def frame(text, level=6):
        z = subprocess.run(['zstd', '-q', '-c', '-%d' % level, '--no-check', '--no-content-size',
                            '--no-dictID'], input=text, stdout=subprocess.PIPE, check=True).stdout
        assert z[:4] == b'\x28\xb5\x2f\xfd' and z[4] == 0, 'unexpected zstd frame header'
        return z[4:]

    def blob(text, level=6, dict_id=0, promised=None, tag=2):
        n = len(text) if promised is None else promised
        return bytes([tag]) + struct.pack('<II', n, dict_id) + frame(text, level)
    write('codec', 'zstd-good', blob(BODY.encode()))
    write('codec', 'zstd-good-utf8', blob(BODY2.encode(), 19))
    write('codec', 'zstd-empty', blob(b''))
    write('codec', 'zstd-short-promise', blob(BODY.encode(), promised=10))
    write('codec', 'zstd-long-promise', blob(BODY.encode(), promised=100000))
    write('codec', 'zstd-huge-promise', blob(b'abc', promised=0xffffffff))
    write('codec', 'zstd-needs-dict', blob(BODY.encode(), dict_id=1))
    write('codec', 'zstd-unknown-dict', blob(BODY.encode(), dict_id=0xfffffffe))
    write('codec', 'zstd-truncated', blob(BODY.encode())[:30])
    write('codec', 'zstd-header-only', b'\x02\x03\x00\x00\x00\x00\x00\x00\x00')
    write('codec', 'zstd-trailing', blob(b'hello') + b'extra')
    write('codec', 'zstd-zeros', blob(b'\0' * 5000, 9))
    write('codec', 'zstd-as-zlib', blob(BODY.encode(), tag=1))
    magic = bytes([2]) + struct.pack('<II', 5, 0) + subprocess.run(
        ['zstd', '-q', '-c', '--no-check'], input=b'hello', stdout=subprocess.PIPE,
        check=True).stdout
    write('codec', 'zstd-with-magic', magic)


def extractors():
    texts = [BODY, BODY2, BODY3,
             '"I am here," he said.', 'She said: "Yes." Then: "No."',
             '\u00abBonjour\u00bb, a dit Jean Dupont.', '\u201cUnclosed quote, said Smith',
             'According to John Smith, the talks failed. Smith added that more were planned.',
             '"A" "B" "C" "D" said said said', "''Doubled'' said Jane Roe, ``the NYT way''",
             'KISHIDA: We will talk.\nPUTIN: No.\nKISHIDA: Then we wait.',
             'President Joe Biden Jr. said "fine." Prime Minister Fumio Kishida said "ok."',
             'The U.S., U.K., EU, USSR, East Germany, West Germany, Yugoslavia and Burma met.',
             'Americans, Britons, Japanese, Russians and Indians visited Washington, Tokyo, Moscow, Delhi.',
             'Georgia and Jordan: a state, a river, a country, a person named Jordan.',
             'On Monday, last March, next week, the day before yesterday, in 1986, '
             'on Jan. 5, on 5 January, in the 1990s, April 24 and 25, March 5 to 7, 2023-02-29.',
             'Yesterday, tomorrow, this year, last year, two years ago, in May, May said, 31 Feb 2024.',
             '\u201c' * 50 + '\u201d' * 50, '"' * 101, ':' * 200, 'said ' * 200,
             'A' * 500, '. ' * 300, '\u00a0\u2028\u2029\u200b\ufeff text \u0301\u0301',
             '\u6771\u4eac\u3067\u300c\u5e73\u548c\u300d\u3068\u8a00\u3063\u305f\u3002',
             'Mr. Mrs. Dr. Gen. Sen. Rep. Gov. said "x"', '"x," said the', '"x," said',
             '1 2 3 4 5 6 7 8 9 10 11 12 13 2024 1999 0000 9999 12/31/2023 31.12.2023',
             '"Hello," said \u00c9lodie Dupont-Durand, 34, of Saint-\u00c9tienne, France.']
    for i, t in enumerate(texts):
        write('speakers', '%02d' % i, t)
        write('countries', '%02d' % i, ('Title about Japan\n' if i % 3 == 0 else '') + t)
        write('dates', '%02d' % i, bytes([i % 8]) + t.encode())
    write('speakers', 'bad-utf8', b'"\xff\xfe," said \xc0\xafBob \xed\xa0\x80Smith.')
    write('countries', 'bad-utf8', b'\xff\nJapan \xc3 Russia \x00 China')
    write('dates', 'bad-utf8', b'\x01On \xffMonday\x00 Jan\xc3. 5')


def leb(v):
    """Unsigned LEB128, as newsindex/buf.h writes it."""
    out = b''
    while True:
        b, v = v & 0x7f, v >> 7
        out += bytes([b | (0x80 if v else 0)])
        if not v:
            return out


def toplist():
    def blob(entries):
        out, prev = leb(len(entries)), 0
        for i, tf, dl in sorted(entries):
            out += leb(i - prev) + leb(tf) + leb(dl)
            prev = i
        return out
    write('toplist', 'empty', b'')
    write('toplist', 'one', blob([(5, 3, 100)]))
    write('toplist', 'three', blob([(1, 1, 10), (7, 5, 300), (70000, 2, 9)]))
    write('toplist', 'truncated', blob([(1, 1, 10), (7, 5, 300)])[:-1])
    write('toplist', 'postings', bytes([3]) + bytes(range(200)))
    write('toplist', 'ties', bytes([1]) + b'\x05\x10' * 40)


def facetcol():
    def block(slots):
        out = b''
        for vals in slots:
            body, prev = b'', None
            for v in sorted(set(vals)):
                body += leb(v if prev is None else v - prev - 1)
                prev = v
            out += leb(len(body)) + body
        return out
    write('facetcol', 'empty', b'')
    write('facetcol', 'three', block([[3], [], [1, 2, 40000]]))
    write('facetcol', 'sparse', block([[i * 7 % 300] if i % 3 else [] for i in range(1024)]))
    write('facetcol', 'big', block([[0, 2 ** 32 - 1]]))
    write('facetcol', 'overflow', block([[2 ** 32 - 2]]) + leb(6) + leb(2 ** 32 - 1) + leb(5))
    write('facetcol', 'truncated', block([[1, 2, 3], [9]])[:-1])
    write('facetcol', 'too-many', block([[1]] * 1025))
    write('facetcol', 'dict', b'JP\0RU\0US\0')
    write('facetcol', 'dict-open', b'2024-01-01\0reuters')


clean()
readers()
pubdate()
query()
codec()
extractors()
toplist()
facetcol()
