#!/usr/bin/env python3
"""Train the Zawgyi-vs-Unicode Markov model used by src/zawgyi/.

Reads the training corpus made by make_data.py ($ZG_WORK/train_*.txt and
$ZG_WORK/tess_*_words.txt), counts character-class bigrams and trigrams in the
Unicode and the Zawgyi side, and writes the log-likelihood-ratio tables into
src/zawgyi/tables.rs between the "BEGIN GENERATED" / "END GENERATED" markers.

  python3 bench/zawgyi/train.py            # validate, then train on all and write tables
  python3 bench/zawgyi/train.py --no-write # only print validation figures

Model (mirrored exactly by src/zawgyi/):
  * every character maps to a state: one of NSTATES classes (CLASS_OF below);
    anything outside U+1000..U+109F is the boundary state 0, and a run of
    boundary characters counts once; ZWNJ/ZWJ/WJ are skipped.
  * the text is scored as the sum over positions of
        log P_zawgyi(c | a, b) - log P_unicode(c | a, b)
    with a, b the two previous states (boundary before the start; a final
    transition into the boundary at the end).
  * P(c | b) is add-ALPHA smoothed; P(c | a, b) interpolates towards it with
    weight BETA (Dirichlet prior).  Stored: the bigram LLR table (dense) and,
    for trigrams seen at least MIN_TRI times, the trigram LLR minus the
    bigram LLR when it differs by more than PRUNE (sparse, sorted).
All values are stored as integers in units of 1/SCALE nat.
"""
import math
import os
import random
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
WORK = os.environ.get("ZG_WORK", "/tmp/waymark-zawgyi")
RUST = os.path.join(REPO, "src", "zawgyi", "tables.rs")

ALPHA = 0.5      # bigram add-alpha smoothing
BETA = 2.0       # trigram -> bigram interpolation weight
MIN_TRI = 50     # keep a trigram only if seen this often in either corpus
PRUNE = 1.0      # ... and if it moves the bigram LLR by more than this (nats)
MIN_ROW = 30     # a state seen fewer times than this on either side gets a neutral row
MIN_CTX = 30     # same for trigram contexts (a, b)
RULE_LLR = 6.0   # floor (nats) for transitions that Unicode Burmese never contains
SCALE = 64       # fixed point: stored value = round(llr * SCALE)
WA_TO_ZERO = 0.3 # share of Zawgyi training lines typed with ၀ (digit zero) for ဝ (wa)
SEED = 20240611

# ---------------------------------------------------------------- classes
IGNORED = {0x200C, 0x200D, 0x2060}  # ZWNJ, ZWJ, WJ: transparent


def _build_classes():
    names = ["BOUNDARY"]
    of = {}

    def add(name, cps):
        names.append(name)
        for cp in cps:
            of[cp] = len(names) - 1

    for cp in range(0x1000, 0x1022):          # consonants
        add("U+%04X" % cp, [cp])
    add("U+1025", [0x1025])
    add("U+1026", [0x1026])
    add("IND_VOWEL", [0x1022, 0x1023, 0x1024, 0x1027, 0x1028, 0x1029, 0x102A])
    for cp in range(0x102B, 0x1040):          # dependent signs, medials, asat...
        if cp != 0x1035:
            add("U+%04X" % cp, [cp])
    add("U+1040", [0x1040])                   # digit zero (Zawgyi typists use it for wa)
    add("DIGIT", range(0x1041, 0x104A))
    add("PUNCT", [0x104A, 0x104B])
    add("U+104E", [0x104E])
    add("SYMBOL", [0x104C, 0x104D, 0x104F])
    add("U+105A", [0x105A])
    for cp in [0x1064, 0x106A, 0x106B, 0x107D, 0x107E, 0x107F, 0x1080, 0x1087, 0x1088,
               0x1089, 0x108A, 0x108F, 0x1090, 0x1094, 0x1095]:
        add("U+%04X" % cp, [cp])
    stacked = list(range(0x1060, 0x1064)) + list(range(0x1065, 0x106A)) + [0x106C, 0x106D] + \
        list(range(0x1070, 0x107D)) + [0x1085, 0x1093, 0x1096]
    add("Z_STACKED", stacked)
    add("Z_OTHER", [cp for cp in range(0x1060, 0x1098) if cp not in of])
    add("EXTENDED", [cp for cp in range(0x1000, 0x10A0) if cp not in of])
    return names, [of[cp] for cp in range(0x1000, 0x10A0)]


NAMES, CLASS_OF = _build_classes()
NSTATES = len(NAMES)


def _cls(cps):
    return sorted({CLASS_OF[cp - 0x1000] for cp in cps})


def _build_rules():
    """Transitions (prev, cur) that well-formed Unicode Burmese never contains.

    Unicode stores a syllable as consonant, [virama+consonant], medials
    (U+103B..U+103E), vowel signs, then U+1036, U+1037, U+103A, U+1038; a
    combining mark never starts a run.  Zawgyi is typed in visual order and
    has its own code points for glyph variants, so it breaks these orders.
    """
    B = [0]
    consonants = _cls(range(0x1000, 0x1022)) + _cls([0x103F])
    vowel_signs = _cls(range(0x102B, 0x1033))            # ါ ာ ိ ီ ု ူ ေ ဲ
    after_vowel = _cls([0x1036, 0x1037, 0x1038, 0x103A])  # ံ ့ း ်
    medials = _cls(range(0x103B, 0x103F))                 # ျ ြ ွ ှ
    marks = _cls(range(0x102B, 0x103F))                   # every combining sign
    digits_punct = _cls(range(0x1040, 0x1050))
    zawgyi_only = _cls(range(0x1050, 0x10A0))
    e = _cls([0x1031])
    virama = _cls([0x1039])
    rules = set()
    def add(prevs, curs):
        rules.update((p, c) for p in prevs for c in curs)
    # R1: code points Unicode Burmese does not use (Zawgyi glyph variants,
    #     or letters of other languages that Zawgyi reuses).
    add(range(NSTATES), zawgyi_only)
    # R2: a combining sign at the start of a run or after a digit/punctuation
    #     (Zawgyi types ေ and ြ before their consonant: "ေန", "ျပ").
    add(B + digits_punct, marks)
    # R3: ေ after anything but a consonant or a medial.
    add([s for s in range(NSTATES) if s not in consonants + medials + zawgyi_only], e)
    # R4: a medial after a vowel sign or a final mark (Unicode puts medials first).
    add(vowel_signs + after_vowel, medials)
    # R5: a vowel sign or ံ after ့ or း (those come last in a Unicode syllable).
    add(_cls([0x1037, 0x1038]), vowel_signs + _cls([0x1036]))
    # R6: virama U+1039 not followed by a consonant (Zawgyi uses it as asat).
    add(virama, [s for s in range(NSTATES) if s not in consonants])
    return sorted(rules)


RULES = _build_rules()


def states(line):
    """State sequence of a line: boundary, states..., boundary (runs collapsed)."""
    s = [0]
    for ch in line:
        cp = ord(ch)
        if cp in IGNORED:
            continue
        x = CLASS_OF[cp - 0x1000] if 0x1000 <= cp <= 0x109F else 0
        if x == 0 and s[-1] == 0:
            continue
        s.append(x)
    if s[-1] != 0:
        s.append(0)
    return s


# ---------------------------------------------------------------- model
class Model:
    def __init__(self, unicode_lines, zawgyi_lines):
        self.sides = [self._count(unicode_lines), self._count(zawgyi_lines)]

    @staticmethod
    def _count(lines):
        bi, tri = Counter(), Counter()
        for line in lines:
            s = [0] + states(line)
            for i in range(2, len(s)):
                bi[(s[i - 1], s[i])] += 1
                tri[(s[i - 2], s[i - 1], s[i])] += 1
        row, ctx = Counter(), Counter()
        for (b, _), n in bi.items():
            row[b] += n
        for (a, b, _), n in tri.items():
            ctx[(a, b)] += n
        return bi, tri, row, ctx

    def _pb(self, side, b, c):
        bi, _, row, _ = self.sides[side]
        return (bi[(b, c)] + ALPHA) / (row[b] + ALPHA * NSTATES)

    def _pt(self, side, a, b, c):
        _, tri, _, ctx = self.sides[side]
        return (tri[(a, b, c)] + BETA * self._pb(side, b, c)) / (ctx[(a, b)] + BETA)

    def _row_ok(self, b):
        return min(self.sides[0][2][b], self.sides[1][2][b]) >= MIN_ROW

    def _ctx_ok(self, a, b):
        return min(self.sides[0][3][(a, b)], self.sides[1][3][(a, b)]) >= MIN_CTX

    def tables(self):
        # A state that (almost) never occurs on one side, e.g. a Zawgyi-only
        # code point in Unicode text, gets an all-zero row: the evidence was
        # counted on entering it, and leaving it carries no more information
        # (smoothing an empty row would otherwise invent some).
        big = [[round(SCALE * (math.log(self._pb(1, b, c)) - math.log(self._pb(0, b, c))))
                if self._row_ok(b) else 0 for c in range(NSTATES)] for b in range(NSTATES)]
        for b, c in RULES:
            big[b][c] = max(big[b][c], round(RULE_LLR * SCALE))
        rules = set(RULES)
        keys = set()
        for side in (0, 1):
            for k, n in self.sides[side][1].items():
                if n >= MIN_TRI and self._ctx_ok(k[0], k[1]):
                    keys.add(k)
        tri = {}
        for a, b, c in keys:
            t = math.log(self._pt(1, a, b, c)) - math.log(self._pt(0, a, b, c))
            d = round(SCALE * t) - big[b][c]
            if (b, c) in rules:
                d = max(d, 0)  # a rule is a floor that no context lowers
            if abs(d) > PRUNE * SCALE:
                tri[(a * NSTATES + b) * NSTATES + c] = d
        return big, tri


def score_fn(big, tri):
    def llr(line):
        s = [0] + states(line)
        t = 0
        for i in range(2, len(s)):
            a, b, c = s[i - 2], s[i - 1], s[i]
            t += big[b][c] + tri.get((a * NSTATES + b) * NSTATES + c, 0)
        return t / SCALE
    return llr


# ---------------------------------------------------------------- data
MY = re.compile("[\u1000-\u109F]")
NOT_BURMESE = re.compile("[\u1050-\u109F]")  # Zawgyi forms / other languages' letters


def read(name):
    path = os.path.join(WORK, name)
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")[:-1]


def load():
    u = read("train_unicode.txt") + read("tess_unicode_words.txt")
    z = read("train_zawgyi.txt") + read("tess_zawgyi_words.txt")
    assert len(u) == len(z)
    rng = random.Random(SEED)
    pairs = []
    for a, b in zip(u, z):
        if NOT_BURMESE.search(a):  # e.g. CLDR's exemplar-character list
            continue
        if rng.random() < WA_TO_ZERO:
            b = b.replace("\u101D", "\u1040")
        pairs.append((a, b))
    return pairs


def rates(llr, pairs, thr):
    diff = [(u, z) for u, z in pairs if u != z]
    tp = sum(llr(z) > thr for _, z in diff)
    fp = sum(llr(u) > thr for u, _ in diff)
    return len(diff), tp, fp


def emit(big, tri):
    keys = sorted(tri)
    out = []
    out.append("// BEGIN GENERATED by bench/zawgyi/train.py -- do not edit by hand.")
    out.append(f"// ALPHA={ALPHA} BETA={BETA} MIN_TRI={MIN_TRI} PRUNE={PRUNE} WA_TO_ZERO={WA_TO_ZERO}")
    out.append(f"const NSTATES: usize = {NSTATES};")
    out.append(f"/// Fixed-point scale of the tables: a stored value `v` means `v / {SCALE}` nats.")
    out.append(f"const SCALE: f64 = {SCALE}.0;")
    out.append("/// State of each code point U+1000..=U+109F (state 0 is the boundary).")
    out.append("/// States: " + ", ".join(f"{i}={n}" for i, n in enumerate(NAMES)))
    out.append("#[rustfmt::skip]")
    out.append(f"static CLASS: [u8; 160] = [")
    for i in range(0, 160, 16):
        out.append("    " + ", ".join(str(x) for x in CLASS_OF[i:i + 16]) + ",")
    out.append("];")
    out.append("/// Bigram log-likelihood ratio, `BIGRAM[prev * NSTATES + cur]`.")
    out.append("#[rustfmt::skip]")
    out.append(f"static BIGRAM: [i16; {NSTATES * NSTATES}] = [")
    for b in range(NSTATES):
        row = big[b]
        for i in range(0, NSTATES, 21):
            out.append("    " + ", ".join(str(x) for x in row[i:i + 21]) + ",")
    out.append("];")
    out.append("/// Trigram keys `(prev2 * NSTATES + prev1) * NSTATES + cur`, sorted.")
    out.append("#[rustfmt::skip]")
    out.append(f"static TRIGRAM_KEYS: [u32; {len(keys)}] = [")
    for i in range(0, len(keys), 12):
        out.append("    " + ", ".join(str(x) for x in keys[i:i + 12]) + ",")
    out.append("];")
    out.append("/// Trigram correction added to the bigram value, parallel to `TRIGRAM_KEYS`.")
    out.append("#[rustfmt::skip]")
    out.append(f"static TRIGRAM_DELTA: [i16; {len(keys)}] = [")
    for i in range(0, len(keys), 20):
        out.append("    " + ", ".join(str(tri[k]) for k in keys[i:i + 20]) + ",")
    out.append("];")
    out.append("// END GENERATED")
    gen = "\n".join(out) + "\n"
    src = open(RUST, encoding="utf-8").read()
    a = src.index("// BEGIN GENERATED")
    b = src.index("// END GENERATED")
    b = src.index("\n", b) + 1
    with open(RUST, "w", encoding="utf-8") as f:
        f.write(src[:a] + gen + src[b:])
    print(f"wrote {NSTATES}x{NSTATES} bigram + {len(keys)} trigram entries to {RUST}", file=sys.stderr)


def main():
    pairs = load()
    # Validation: hold out every 10th training line (never the evaluation set,
    # which lives in tests/data/zawgyi/pairs.tsv and is not read here).
    train = [p for i, p in enumerate(pairs) if i % 10]
    held = [p for i, p in enumerate(pairs) if i % 10 == 0]
    m = Model([u for u, _ in train], [z for _, z in train])
    big, tri = m.tables()
    llr = score_fn(big, tri)
    print(f"states={NSTATES} trigram entries={len(tri)} train lines={len(train)} held-out={len(held)}")
    for thr in (0, 1, 2, 3, 4, 5, 6, 8):
        n, tp, fp = rates(llr, held, thr)
        print(f"held-out thr={thr}: recall={tp / n:.4f} ({tp}/{n}) fpr={fp / n:.4f} ({fp}/{n})")
    if "--no-write" in sys.argv:
        return
    m = Model([u for u, _ in pairs], [z for _, z in pairs])
    emit(*m.tables())


if __name__ == "__main__":
    main()
