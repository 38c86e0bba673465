"""Which ledger events a passage names: the words of a sentence against every event's
title, aliases, actors and places, as the search index normalises them.

A name scores the share of its distinctive words found, weighed by how rare each word is
in the ledger (a ledger where every title says "Soviet" learns that "Soviet" names
nothing) and by how near the words stand to the date. Summaries, which paraphrase the
sources, may only confirm a date, never contradict one. Plain data throughout, so a
command can keep a Matcher in the cache. Pure: no click, no rich.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from farchron.query.search import SearchIndex

#: How much a name's kind counts: a title or alias names an event, an actor or a place
#: only suggests it.
KIND_WEIGHT = {"title": 1.0, "alias": 1.0, "actor": 0.6, "place": 0.6}
#: Characters between a name and its date beyond which nearness stops mattering, and
#: what a name that far away keeps of its score.
NEAR_CHARS = 200
FAR_FACTOR = 0.6
#: A name found only in the sentence before the date counts as this much further away.
PREVIOUS_SENTENCE = 120
#: Month names are name words ("October Revolution", "July Days", "May Fourth Movement"),
#: except where the sentence uses them in a date: "in September 1931" names no
#: "September 18 Incident" (`Matcher.tokens` blanks them inside the date expressions).
MONTH_WORDS = frozenset((
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december"))
#: Words too common to name anything.
STOP = frozenset((
    "a", "an", "and", "as", "at", "by", "de", "der", "for", "from", "in", "into", "of", "on",
    "or", "the", "to", "with"))
#: A summary sharing this share of a passage's distinctive words confirms it fully...
SUMMARY_FULL = 0.5
#: ...and is worth this much of a title: it may tie a date to an event whose date fits,
#: never make a contradiction.
SUMMARY_WEIGHT = 0.85
#: Sentence words at least this long may match a ledger word spelled a little differently
#: ("Khalkhyn" / "Khalkhin", "defense" / "defence") at this rapidfuzz ratio.
FUZZY_LEN = 6
#: A word in more than max(COMMON_MIN, name fields / COMMON_DIVISOR) names is common: it
#: never finds a name alone (see Matcher._common).
COMMON_MIN = 400
COMMON_DIVISOR = 400
FUZZY_RATIO = 85.0


_WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    keys: tuple[int, ...]  # ids of the index words and pairs this token may be


class Matcher:
    """Name words of every event, numbered, with the fields they occur in.

    Built from a SearchIndex's normalised fields, so the sentence and the ledger meet as
    search's normalisation makes them meet ("Khalkhin-Gol" = "khalkhin gol"). Flat
    arrays throughout (`to_sections`), so a command keeps it in the cache beside the
    ledger and a warm run maps it: a date touches the postings of its sentence's words,
    never the whole.
    """

    #: The flat arrays and their typecodes, as the cache stores them.
    ARRAYS = (("idf", "d"), ("f_words", "I"), ("f_off", "I"), ("f_total", "d"),
              ("f_owner", "I"), ("f_weight", "d"), ("p_off", "I"), ("p_field", "I"),
              ("p_pos", "I"), ("p_width", "B"), ("s_off", "I"), ("s_rec", "I"),
              ("s_idf", "d"))

    def __init__(self, index: SearchIndex | None = None) -> None:
        from array import array

        self.words: dict[str, int] = {}
        self.vocab: list[str] = []
        # per word (or pair) id: its weight in names (0 if in no name)
        self.idf: Sequence[float] = array("d")
        # per name field f: its word ids (f_words[f_off[f]:f_off[f+1]]), the total weight
        # (with its dates), the record that owns it, and the weight of its kind
        self.f_words: Sequence[int] = array("I")
        self.f_off: Sequence[int] = array("I", [0])
        self.f_total: Sequence[float] = array("d")
        self.f_owner: Sequence[int] = array("I")
        self.f_weight: Sequence[float] = array("d")
        # per word or pair id: postings p_off[id]:p_off[id+1] of (field, word position,
        # how many words it covers)
        self.p_off: Sequence[int] = array("I", [0])
        self.p_field: Sequence[int] = array("I")
        self.p_pos: Sequence[int] = array("I")
        self.p_width: Sequence[int] = array("B")
        # per word id: records whose summary has it (s_off, s_rec), and its weight there
        # (summaries only confirm a date)
        self.s_off: Sequence[int] = array("I", [0])
        self.s_rec: Sequence[int] = array("I")
        self.s_idf: Sequence[float] = array("d")
        self._pools: dict[tuple[str, int], list[str]] | None = None
        self._cap: tuple[int, int] | None = None
        if index is not None:
            self._build(index)

    def _build(self, index: SearchIndex) -> None:
        from array import array

        from farchron.query.search import KINDS

        kinds, texts, starts = index.kinds, index.texts, index.starts
        n_records = len(index.ids)
        df: dict[int, set[int]] = {}
        dated: list[int] = []
        fields: list[tuple[int, ...]] = []
        owner: list[int] = []
        weight: list[float] = []
        postings: dict[int, list[tuple[int, int, int]]] = {}
        summaries: dict[int, list[int]] = {}
        for i in range(n_records):
            for j in range(starts[i], starts[i + 1]):
                kind = KINDS[kinds[j]]
                if kind == "summary":
                    for t in set(texts[j].split()) - STOP - MONTH_WORDS:
                        if not t.isdigit():
                            summaries.setdefault(self._id(t), []).append(i)
                    continue
                w = KIND_WEIGHT.get(kind)
                if w is None:
                    continue
                every = texts[j].split()
                ws = [t for t in every if t not in STOP and not t.isdigit()]
                if not ws:
                    continue
                ids = tuple(self._id(t) for t in ws)
                f = len(fields)
                fields.append(ids)
                owner.append(i)
                weight.append(w)
                # digits in a name ("September 18 Incident", "1905 Revolution") are not
                # matched, but they still count: "incident" alone does not name that event
                dated.append(sum(t.isdigit() for t in every))
                for k, tid in enumerate(ids):
                    postings.setdefault(tid, []).append((f, k, 1))
                    df.setdefault(tid, set()).add(i)
                for k in range(len(ws) - 1):
                    pair = self._id(ws[k] + ws[k + 1])
                    postings.setdefault(pair, []).append((f, k, 2))
        n = max(n_records, 1)
        n_ids = len(self.words)
        idf = [0.0] * n_ids
        for tid, recs_of in df.items():
            idf[tid] = math.log((n + 1) / len(recs_of)) + 0.1
        total = []
        f_words: list[int] = []
        f_off = [0]
        for ids, nd in zip(fields, dated, strict=True):
            got = sum(idf[t] for t in ids)
            total.append(got + nd * got / len(ids))
            f_words.extend(ids)
            f_off.append(len(f_words))
        p_off: list[int] = [0]
        p_field: list[int] = []
        p_pos: list[int] = []
        p_width: list[int] = []
        for tid in range(n_ids):
            for f, k, width in postings.get(tid, []):
                p_field.append(f)
                p_pos.append(k)
                p_width.append(width)
            p_off.append(len(p_field))
        s_off: list[int] = [0]
        s_rec: list[int] = []
        s_idf = [0.0] * n_ids
        for tid in range(n_ids):
            recs = summaries.get(tid, [])
            s_rec.extend(recs)
            s_off.append(len(s_rec))
            if recs:
                s_idf[tid] = math.log((n + 1) / len(recs))
        self.idf, self.f_words, self.f_off = array("d", idf), array("I", f_words), \
            array("I", f_off)
        self.f_total, self.f_owner, self.f_weight = array("d", total), array("I", owner), \
            array("d", weight)
        self.p_off, self.p_field, self.p_pos, self.p_width = (
            array("I", p_off), array("I", p_field), array("I", p_pos), array("B", p_width))
        self.s_off, self.s_rec, self.s_idf = array("I", s_off), array("I", s_rec), \
            array("d", s_idf)
        # single name words, for close spellings; pairs run together match only exactly
        # ("operations" must not meet "operationz", from "Operation Z")
        singles = {t for t, ps in postings.items() if any(p[2] == 1 for p in ps)}
        self.vocab = [w for w, t in self.words.items() if t in singles]

    def to_sections(self) -> dict[str, Any]:
        """The matcher as named byte sections (the store's format): the word list and
        close-spelling vocabulary as text, everything else as typed arrays."""
        from array import array

        words = sorted(self.words, key=self.words.__getitem__)
        out: dict[str, Any] = {"words": "\n".join(words).encode("utf-8"),
                               "vocab": "\n".join(self.vocab).encode("utf-8")}
        for name, code in self.ARRAYS:
            v = getattr(self, name)
            out[name] = v if isinstance(v, array) and v.typecode == code else array(code, v)
        return out

    @classmethod
    def from_sections(cls, words: list[str], vocab: list[str],
                      arrays: dict[str, Sequence[Any]]) -> Matcher:
        """The matcher `to_sections` gave, its arrays mapped (memoryviews); ValueError
        if their lengths do not fit one another."""
        m = cls()
        m.words = {w: i for i, w in enumerate(words)}
        m.vocab = vocab
        for name, _code in cls.ARRAYS:
            setattr(m, name, arrays[name])
        n = len(words)
        nf = len(m.f_total)
        if (len(m.idf) != n or len(m.p_off) != n + 1 or len(m.s_off) != n + 1
                or len(m.s_idf) != n or len(m.f_off) != nf + 1 or len(m.f_owner) != nf
                or len(m.f_weight) != nf or m.f_off[-1] != len(m.f_words)
                or m.p_off[-1] != len(m.p_field) or len(m.p_pos) != len(m.p_field)
                or len(m.p_width) != len(m.p_field) or m.s_off[-1] != len(m.s_rec)
                or len(set(words)) != n):
            raise ValueError("bad matcher layout")
        return m

    def _id(self, word: str) -> int:
        t = self.words.get(word)
        if t is None:
            t = self.words[word] = len(self.words)
        return t

    def tokens(self, text: str, dates: Sequence[tuple[int, int]] = ()) -> list[_Token]:
        """Each word of `text` with the ledger words it may be (exact, or close); month
        names inside `dates` (sorted spans of the date expressions read) are the date's,
        not a name's."""
        import bisect

        from farchron.query.search import normalize

        raw: list[tuple[int, int, str]] = []
        memo: dict[str, str] = {}
        starts = [a for a, _b in dates]
        for m in _WORD.finditer(text):
            w = m.group(0)
            n = memo.get(w)
            if n is None:
                n = memo[w] = normalize(w)
            for part in n.split():
                if part in MONTH_WORDS:
                    k = bisect.bisect_right(starts, m.start()) - 1
                    if k >= 0 and m.start() < dates[k][1]:
                        part = ""
                if part and part not in STOP and not part.isdigit():
                    raw.append((m.start(), m.end(), part))
                else:
                    raw.append((m.start(), m.end(), ""))  # keeps pairs from spanning it
        keys = self._keys({w for _s, _e, w in raw if w})
        words = self.words
        for a, b in itertools.pairwise(raw):  # words run together match only exactly
            if a[2] and b[2]:
                t = words.get(a[2] + b[2])
                if t is not None:
                    keys[a[2] + b[2]] = (t,)
        out = []
        for pos, (s, e, w) in enumerate(raw):
            if not w:
                continue
            out.append(_Token(s, e, keys.get(w, ())))
            if pos + 1 < len(raw) and raw[pos + 1][2]:
                pk = keys.get(w + raw[pos + 1][2], ())
                if pk:
                    out.append(_Token(s, raw[pos + 1][1], pk))
        return out

    def _keys(self, words: set[str]) -> dict[str, tuple[int, ...]]:
        """For each word, the ids of the ledger words it matches."""
        out: dict[str, tuple[int, ...]] = {}
        fuzzy = []
        for w in words:
            t = self.words.get(w)
            if t is not None:
                out[w] = (t,)
            if len(w) >= FUZZY_LEN:
                fuzzy.append(w)
        if fuzzy and self.vocab:
            from rapidfuzz import fuzz

            # ratio >= 85 needs lengths within about 30% of each other, and the
            # misspellings worth catching keep the first two letters ("Khalkhyn",
            # "defense"): only those few ledger words are compared
            pools = self._pools
            if pools is None:
                pools = self._pools = {}
                for v in self.vocab:
                    pools.setdefault((v[:2], len(v)), []).append(v)
            ratio = fuzz.ratio
            for w in fuzzy:
                n, head = len(w), w[:2]
                near = [self.words[v] for m in range(int(n * 0.74), int(n * 1.36) + 1)
                        for v in pools.get((head, m), ())
                        if ratio(w, v, score_cutoff=FUZZY_RATIO)]
                if near:
                    out[w] = tuple(set(out.get(w, ())) | set(near))
        return out

    def _caps(self) -> tuple[int, int]:
        """How many name fields, and how many summaries, a word may be in before it is
        common: walking its postings for every date would cost more than all the rest,
        so it adds to a name another word found, never finds one alone (a name of only
        such words names hundreds of events alike). None is, in a ledger of a few
        hundred events."""
        if self._cap is None:
            n_fields = len(self.f_total)
            n_records = (self.f_owner[-1] + 1) if n_fields else 0  # owners in order
            self._cap = (max(COMMON_MIN, n_fields // COMMON_DIVISOR),
                         max(COMMON_MIN, n_records // COMMON_DIVISOR))
        return self._cap

    def score(self, tokens: Sequence[_Token], date_start: int, date_end: int,
              sentence_start: int) -> dict[int, tuple[float, int, int, float]]:
        """Record -> (score 0-100, start, end of the name that won, its score were it
        next to the date if it lies in the date's sentence, else 0), for the words in
        `tokens` (one sentence and the one before it) against a date at the given span."""
        # each ledger word's nearest occurrence: (distance, start, end)
        nearest: dict[int, tuple[int, int, int]] = {}
        for tok in tokens:
            if tok.end <= date_start:
                dist = date_start - tok.end
            elif tok.start >= date_end:
                dist = tok.start - date_end
            else:
                dist = 0
            if tok.start < sentence_start:
                dist += PREVIOUS_SENTENCE
            for key in tok.keys:
                old = nearest.get(key)
                if old is None or dist < old[0]:
                    nearest[key] = (dist, tok.start, tok.end)
        # field -> word position -> the nearest occurrence of that word: found through
        # the words of few names; common words are then looked up in the names found
        cap = self._caps()[0]
        p_off, p_field, p_pos, p_width = self.p_off, self.p_field, self.p_pos, self.p_width
        seen: dict[int, dict[int, tuple[int, int, int]]] = {}
        common = False
        for key, occ in nearest.items():
            a, b = p_off[key], p_off[key + 1]
            if b - a > cap:
                common = True
                continue
            for p in range(a, b):
                j = p_field[p]
                fs = seen.get(j)
                if fs is None:
                    fs = seen[j] = {}
                k = p_pos[p]
                for kk in range(k, k + p_width[p]):
                    old = fs.get(kk)
                    if old is None or occ[0] < old[0]:
                        fs[kk] = occ
        f_words, f_off, idf = self.f_words, self.f_off, self.idf
        if common:
            for j, fs in seen.items():
                base = f_off[j]
                for kk in range(f_off[j + 1] - base):
                    hit = nearest.get(f_words[base + kk])
                    if hit is not None:
                        old = fs.get(kk)
                        if old is None or hit[0] < old[0]:
                            fs[kk] = hit
        best: dict[int, tuple[float, int, int, float]] = {}
        f_total, f_weight, f_owner = self.f_total, self.f_weight, self.f_owner
        span = 1 - FAR_FACTOR
        for f, fs in seen.items():
            base = f_off[f]
            got = far = 0.0
            a, b = 1 << 62, -1
            for k, (d, s0, e0) in fs.items():
                g = idf[f_words[base + k]]
                got += g
                far += g * d
                if s0 < a:
                    a = s0
                if e0 > b:
                    b = e0
            whole = 100 * f_weight[f] * math.sqrt(got / f_total[f])
            near = 1 - span * min(far / got, NEAR_CHARS) / NEAR_CHARS
            i = f_owner[f]
            prev = best.get(i)
            if prev is None or whole * near > prev[0]:
                best[i] = (whole * near, a, b, whole if a >= sentence_start else 0.0)
        return best

    def summary_scores(self, tokens: Sequence[_Token]) -> dict[int, float]:
        """Record -> 0-100: how much of the passage's distinctive vocabulary its summary
        shares (the ledger's summaries paraphrase the events' sources). Words in very
        many summaries are left out: they tell no event apart."""
        cap = self._caps()[1]
        s_off, s_rec, s_idf = self.s_off, self.s_rec, self.s_idf
        keys = {t for tok in tokens for t in tok.keys
                if s_idf[t] > 0 and s_off[t + 1] - s_off[t] <= cap}
        total = sum(s_idf[t] for t in keys)
        if not total:
            return {}
        acc: dict[int, float] = {}
        for t in keys:
            w = s_idf[t]
            for p in range(s_off[t], s_off[t + 1]):
                i = s_rec[p]
                acc[i] = acc.get(i, 0.0) + w
        return {i: 100 * SUMMARY_WEIGHT * min(1.0, a / total / SUMMARY_FULL)
                for i, a in acc.items()}
