#!/usr/bin/env python3
"""Regenerate corpus/bad/: small, deliberately broken dump files.

Each file holds a few good records around one kind of damage, so that a test
can check both that the damage is reported (file:line: reason) and that the
good records around it are still read.  tests/unit/test_reader.c expects
exactly what is described in README.md; run this script from anywhere.
"""
import gzip
import json
import os
import random
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def good(n):
    return json.dumps({"id": f"bad-good-{n}", "title": f"Good record {n}",
                       "body": f"This record {n} is fine and must be read."})


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def lines(*parts):
    return "".join(p + "\n" for p in parts).encode()


# 1. malformed JSON among good lines (line 2: unterminated string, line 4: trailing comma)
write("malformed.jsonl", lines(good(1), '{"title": "broken, "body": "x"}', good(2),
                               '{"title": "t", "body": "b",}', good(3)))

# 2. invalid UTF-8: Latin-1 byte, overlong '/', UTF-8-encoded surrogate, truncated sequence
write("invalid_utf8.jsonl",
      b'{"id": "u1", "title": "Caf\xe9", "body": "Latin-1 \xe9 in UTF-8 text"}\n'
      b'{"id": "u2", "title": "Overlong", "body": "slash \xc0\xaf here"}\n'
      b'{"id": "u3", "title": "Surrogate", "body": "lone \xed\xa0\x80 surrogate"}\n'
      b'{"id": "u4", "title": "Truncated \xe2\x82", "body": "euro sign cut"}\n')
write("invalid_utf8.txt",
      b"Title: Caf\xe9 society\nDate: 2024-01-30\n\nThe body has a Latin-1 \xe9 and an "
      b"overlong \xc0\xaf.\n")

# 3. a binary file with a JSON Lines name (a PNG-like header, then noise)
rnd = random.Random(20240130)
write("binary.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" +
      bytes(rnd.randrange(256) for _ in range(2000)))

# 4. empty files
write("empty.jsonl", b"")
write("empty.txt", b"")
write("blank.jsonl", b"\n   \n\t\r\n")

# 5. a truncated .gz: three records, cut inside the third (after a full flush,
#    so the first two decompress completely)
comp = zlib.compressobj(9, zlib.DEFLATED, 31)
data = comp.compress(lines(good(1), good(2))) + comp.flush(zlib.Z_FULL_FLUSH)
third = comp.compress(lines(good(3))) + comp.flush(zlib.Z_FINISH)
write("truncated.jsonl.gz", data + third[: len(third) // 2])

# 6. a .json array with bad elements: malformed, not an object, no title/body
write("array_bad_element.json", (
    "[\n"
    + "  " + good(1) + ",\n"
    + '  {"title": "broken" "body": "missing comma"},\n'
    + "  42,\n"
    + '  {"url": "https://example.org/no-text"},\n'
    + "  " + good(2) + "\n"
    "]\n").encode())

# 7. JSON lines whose body (or title) is not a string
write("body_not_string.jsonl", lines(
    json.dumps({"id": "n1", "title": "Object body", "body": {"p": 1}}),
    json.dumps({"id": "n2", "title": "Number body", "body": 12}),
    good(1),
    json.dumps({"id": "n3", "title": True, "body": "boolean title"})))

# 8. valid JSON that is not an object
write("not_object.jsonl", lines('[1, 2, 3]', '"just a string"', good(1), '42', 'null'))

# 9. neither title nor body
write("no_title_body.jsonl", lines(
    json.dumps({"id": "e1", "url": "https://example.org/1"}),
    json.dumps({"id": "e2", "title": "", "body": "   "}),
    good(1)))

# 10. a raw NUL byte inside a line (not the first one)
write("nul_byte.jsonl", lines(good(1)) +
      b'{"title": "NUL \x00 inside", "body": "x"}\n' + lines(good(2)))

# 11. a .json array cut in the middle of an element
write("truncated.json", ("[\n  " + good(1) + ",\n  " + good(2)[:30]).encode())

# 12. a text file with NUL bytes (UTF-16 text is like that)
write("utf16.txt", "Title: UTF-16\n\nNot UTF-8 at all.\n".encode("utf-16-le"))

# 13. a gzip file whose CRC trailer is wrong: records come out, then an error
gz = bytearray(gzip.compress(lines(good(1), good(2)), mtime=0))
gz[-8] ^= 0xFF
write("bad_crc.jsonl.gz", bytes(gz))

# 14. gzip magic followed by garbage
write("not_gzip.jsonl.gz", b"\x1f\x8b\x63garbage that is not deflate data\n")
