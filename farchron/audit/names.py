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
    search's normalisation makes them meet ("Khalkhin-Gol" = "khalkhin gol"). Plain data
    throughout (`to_plain`), so a command can keep it in the cache beside the ledger.
    """

    def __init__(self, index: SearchIndex | None = None) -> None:
        self.words: dict[str, int] = {}
        # per name field f: its word ids, their weights, the total weight (with its dates),
        # the record that owns it, and the weight of its kind
        self.f_words: list[tuple[int, ...]] = []
        self.f_idf: list[tuple[float, ...]] = []
        self.f_total: list[float] = []
        self.f_owner: list[int] = []
        self.f_weight: list[float] = []
        # word or pair id -> [(field, word position, how many words it covers)]
        self.postings: dict[int, list[tuple[int, int, int]]] = {}
        # word id -> records whose summary has it (summaries only confirm a date)
        self.summaries: dict[int, list[int]] = {}
        self.summary_idf: dict[int, float] = {}
        self.vocab: list[str] = []
        self._common_ids: frozenset[int] | None = None
        self._common_summary: frozenset[int] = frozenset()
        self._pools: dict[tuple[str, int], list[str]] | None = None
        if index is not None:
            self._build(index)

    def _build(self, index: SearchIndex) -> None:
        from farchron.query.search import KINDS

        kinds, texts, starts = index.kinds, index.texts, index.starts
        n_records = len(index.ids)
        df: dict[int, set[int]] = {}
        dated: list[int] = []
        for i in range(n_records):
            for j in range(starts[i], starts[i + 1]):
                kind = KINDS[kinds[j]]
                if kind == "summary":
                    for t in set(texts[j].split()) - STOP - MONTH_WORDS:
                        if not t.isdigit():
                            self.summaries.setdefault(self._id(t), []).append(i)
                    continue
                w = KIND_WEIGHT.get(kind)
                if w is None:
                    continue
                every = texts[j].split()
                ws = [t for t in every if t not in STOP and not t.isdigit()]
                if not ws:
                    continue
                ids = tuple(self._id(t) for t in ws)
                f = len(self.f_words)
                self.f_words.append(ids)
                self.f_owner.append(i)
                self.f_weight.append(w)
                # digits in a name ("September 18 Incident", "1905 Revolution") are not
                # matched, but they still count: "incident" alone does not name that event
                dated.append(sum(t.isdigit() for t in every))
                for k, tid in enumerate(ids):
                    self.postings.setdefault(tid, []).append((f, k, 1))
                    df.setdefault(tid, set()).add(i)
                for k in range(len(ws) - 1):
                    pair = self._id(ws[k] + ws[k + 1])
                    self.postings.setdefault(pair, []).append((f, k, 2))
        n = max(n_records, 1)
        idf = {t: math.log((n + 1) / len(s)) + 0.1 for t, s in df.items()}
        for ids, nd in zip(self.f_words, dated, strict=True):
            weights = tuple(idf[t] for t in ids)
            total = sum(weights)
            self.f_idf.append(weights)
            self.f_total.append(total + nd * total / len(ids))
        self.summary_idf = {t: math.log((n + 1) / len(s)) for t, s in self.summaries.items()}
        # single name words, for close spellings; pairs run together match only exactly
        # ("operations" must not meet "operationz", from "Operation Z")
        singles = {t for t, ps in self.postings.items() if any(p[2] == 1 for p in ps)}
        self.vocab = [w for w, t in self.words.items() if t in singles]

    _PLAIN = ("words", "f_words", "f_idf", "f_total", "f_owner", "f_weight", "postings",
              "summaries", "summary_idf", "vocab")

    def to_plain(self) -> tuple[Any, ...]:
        """Dicts, lists and tuples of str, int and float: what marshal stores."""
        return tuple(getattr(self, k) for k in self._PLAIN)

    @classmethod
    def from_plain(cls, plain: Any) -> Matcher:
        """The matcher `to_plain` gave; ValueError if the layout does not fit."""
        if not isinstance(plain, tuple | list) or len(plain) != len(cls._PLAIN):
            raise ValueError("bad matcher layout")
        m = cls()
        for k, v in zip(cls._PLAIN, plain, strict=True):
            setattr(m, k, v)
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

    def _common(self) -> frozenset[int]:
        """Ledger words (and pairs) in so many name fields that walking their postings for
        every date would cost more than all the rest: they add to a name another word
        found, never find one alone (a name of only such words names hundreds of events
        alike). None in a ledger of a few hundred events."""
        got = self._common_ids
        if got is None:
            cap = max(COMMON_MIN, len(self.f_words) // COMMON_DIVISOR)
            got = frozenset(t for t, ps in self.postings.items() if len(ps) > cap)
            self._common_ids = got
            cap_s = max(COMMON_MIN, (max(self.f_owner, default=0) + 1) // COMMON_DIVISOR)
            self._common_summary = frozenset(t for t, rs in self.summaries.items()
                                             if len(rs) > cap_s)
        return got

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
        common = self._common()
        seen: dict[int, dict[int, tuple[int, int, int]]] = {}
        postings = self.postings
        with_common = False
        for key, occ in nearest.items():
            if key in common:
                with_common = True
                continue
            for j, k, width in postings.get(key, ()):
                fs = seen.get(j)
                if fs is None:
                    fs = seen[j] = {}
                for kk in range(k, k + width):
                    old = fs.get(kk)
                    if old is None or occ[0] < old[0]:
                        fs[kk] = occ
        if with_common:
            f_words = self.f_words
            for j, fs in seen.items():
                for kk, tid in enumerate(f_words[j]):
                    if tid in common:
                        occ = nearest.get(tid)
                        if occ is not None:
                            old = fs.get(kk)
                            if old is None or occ[0] < old[0]:
                                fs[kk] = occ
        best: dict[int, tuple[float, int, int, float]] = {}
        f_idf, f_total, f_weight, f_owner = self.f_idf, self.f_total, self.f_weight, self.f_owner
        span = 1 - FAR_FACTOR
        for f, fs in seen.items():
            weights = f_idf[f]
            got = far = 0.0
            a, b = 1 << 62, -1
            for k, (d, s0, e0) in fs.items():
                g = weights[k]
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
        shares (the ledger's summaries paraphrase the events' sources)."""
        self._common()
        common = self._common_summary
        keys = {t for tok in tokens for t in tok.keys
                if t in self.summary_idf and t not in common}
        total = sum(self.summary_idf[t] for t in keys)
        if not total:
            return {}
        acc: dict[int, float] = {}
        for t in keys:
            w = self.summary_idf[t]
            for i in self.summaries[t]:
                acc[i] = acc.get(i, 0.0) + w
        return {i: 100 * SUMMARY_WEIGHT * min(1.0, a / total / SUMMARY_FULL)
                for i, a in acc.items()}
