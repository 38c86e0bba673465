"""Write a synthetic ledger of N events (events.toml + sources.toml) that follows the schema.

Usage: python benchmarks/generate.py N OUTDIR [WORKS]   (N, WORKS may be written 1k, 10k, 1M)

WORKS (default 400) is the number of works in sources.toml: `sources QUERY` is measured at 10k.

Deterministic (seeded), so every run of the benchmarks measures the same bytes. Titles and
summaries are made from historical vocabulary; aliases come in Latin, Cyrillic and Japanese
scripts; dates use every EDTF form farchron reads; every event cites notes and works.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

SEED = 1939
N_SOURCES = 400
N_NOTES = 1200

PLACES = ["Nomonhan", "Khalkha River", "Vladivostok", "Harbin", "Mukden", "Lake Khasan",
          "Changkufeng", "Moscow", "Tokyo", "Hsinking", "Ulaanbaatar", "Chita", "Khabarovsk",
          "Port Arthur", "Sakhalin", "Kamchatka", "Irkutsk", "Dairen", "Tsitsihar", "Hailar"]
ACTORS = ["Georgy Zhukov", "Kwantung Army", "Vasily Blyukher", "Togo Shigenori",
          "Matsuoka Yosuke", "Vyacheslav Molotov", "Joseph Stalin", "Red Army",
          "Imperial Japanese Army", "Mongolian People's Army", "Arita Hachiro",
          "Grigory Shtern", "Komatsubara Michitaro", "Far Eastern Front", "Comintern"]
NOUNS = ["Incident", "Agreement", "Offensive", "Conference", "Treaty", "Purge",
         "Border Clash", "Negotiations", "Mobilisation", "Ceasefire", "Declaration",
         "Evacuation", "Reinforcement", "Memorandum", "Protocol", "Survey"]
ADJ = ["Northern", "Eastern", "Secret", "Second", "Final", "Provisional", "Joint",
       "Frontier", "Naval", "Economic", "Fisheries", "Railway", "Neutrality", "Trade"]
CYR = ["Халхин-Гол", "Хасан", "Владивосток", "Жуков", "Молотов", "пакт", "инцидент",
       "соглашение", "граница", "Маньчжурия", "конференция", "переговоры"]
JAP = ["ノモンハン事件", "張鼓峰事件", "日ソ中立条約", "関東軍", "満洲国", "北樺太",
       "漁業協定", "東京", "国境紛争", "撤兵", "会談"]
TAGS = ["battle", "border", "diplomacy", "treaty", "purge", "economy", "navy", "railway",
        "fisheries", "intelligence", "occupation", "mobilisation"]
TYPES = ["book", "chapter", "article-journal", "manuscript", "report", "legal_case"]
SURNAMES = ["Hata", "Coox", "Krivosheev", "Hasegawa", "Slavinsky", "Haslam", "Kuromiya",
            "Goldman", "Hanada", "Kotkin", "Shimotomai", "Tanaka", "Ivanov", "Smirnov"]


def q(s: str) -> str:
    """A TOML basic string (JSON's escapes are a subset TOML accepts)."""
    return json.dumps(s, ensure_ascii=False)


def qlist(items: list[str]) -> str:
    return "[" + ", ".join(q(x) for x in items) + "]"


def edtf(r: random.Random) -> str:
    """One EDTF expression, of every form: day, month, year, season, interval, open,
    qualified, unspecified digits, negative and 5-digit years, times."""
    y = r.randint(1890, 1960)
    m = r.randint(1, 12)
    d = r.randint(1, 28)
    k = r.randrange(16)
    if k < 5:
        return f"{y:04d}-{m:02d}-{d:02d}"
    if k < 7:
        return f"{y:04d}-{m:02d}"
    if k == 7:
        return f"{y:04d}"
    if k == 8:
        return f"{y:04d}-{r.choice((21, 22, 23, 24))}"
    if k == 9:
        m2 = r.randint(m, 12)
        return f"{y:04d}-{m:02d}/{y + r.randint(0, 2):04d}-{m2:02d}"
    if k == 10:
        return r.choice((f"../{y:04d}", f"{y:04d}-{m:02d}/..", f"{y:04d}/{y + 3:04d}"))
    if k == 11:
        return f"{y:04d}{r.choice('~?%')}" if r.random() < 0.5 else f"{y:04d}-{m:02d}~"
    if k == 12:
        return f"{str(y)[:3]}X" if r.random() < 0.8 else f"{str(y)[:2]}XX"
    if k == 13:
        return f"{y:04d}-{m:02d}-{d:02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}"
    if k == 14:
        return r.choice((f"-{r.randint(1, 3000):04d}", f"Y{r.randint(10000, 99999)}",
                         f"0{r.randint(100, 999)}"))
    return f"{y:04d}-{m:02d}-{d:02d}/{y:04d}-{m:02d}-{min(28, d + r.randint(0, 9)):02d}"


def source_id(i: int) -> str:
    return f"{SURNAMES[i % len(SURNAMES)].lower()}-{1950 + i % 70}-{i}"


def write_sources(out: Path, r: random.Random) -> None:
    lines = []
    for i in range(N_SOURCES):
        sur = SURNAMES[i % len(SURNAMES)]
        lines += [
            "[[source]]",
            f"id = {q(source_id(i))}",
            f"type = {q(TYPES[i % len(TYPES)])}",
            f"authors = {qlist([f'{sur}, ' + r.choice(['A.', 'Alvin D.', 'Ikuhiko', 'G. F.'])])}",
            f"title = {q(f'{r.choice(ADJ)} {r.choice(NOUNS)}s in the Far East, volume {i}')}",
        ]
        if i % 3 == 0:
            lines.append(f"original-title = {q(r.choice(CYR) + ' ' + r.choice(CYR))}")
        if i % 5 == 0:
            lines.append(f"original-title = {q(r.choice(JAP) + 'の研究')}" if i % 3 else
                         f"translated-title = {q('A study of ' + r.choice(NOUNS))}")
        lines += [f"publisher = {q(r.choice(['Nauka', 'Iwanami', 'Stanford UP', 'Veche']))}",
                  f'issued = "{1950 + i % 70}"', ""]
    lines += ["[[source]]", 'id = "hanada-far-eastern-strategy"', 'type = "article-journal"',
              'authors = ["Hanada, Tomoyuki"]',
              'title = "The Soviet Far Eastern Strategy and International Order"',
              'issued = "2020"', ""]
    for n in range(1, N_NOTES + 1):
        cites = [f'{{ source = {q(source_id((n * 7) % N_SOURCES))}, pages = "{n % 400 + 1}" }}']
        if n % 4 == 0:
            cites.append(f"{{ source = {q(source_id((n * 13) % N_SOURCES))} }}")
        lines += ["[[note]]", f"number = {n}", f"citations = [{', '.join(cites)}]",
                  f"text = {q(f'{SURNAMES[n % len(SURNAMES)]}, op. cit., p. {n % 400 + 1}.')}",
                  ""]
    (out / "sources.toml").write_text("\n".join(lines), encoding="utf-8")


def write_events(out: Path, n: int, r: random.Random) -> None:
    with open(out / "events.toml", "w", encoding="utf-8") as f:
        f.write("# synthetic ledger written by benchmarks/generate.py\n\n")
        for i in range(n):
            place = r.choice(PLACES)
            noun = r.choice(NOUNS)
            title = f"{r.choice(ADJ)} {place} {noun}"
            aliases = [f"{place} {noun} of {r.randint(1890, 1960)}"]
            if i % 2 == 0:
                aliases.append(f"{r.choice(CYR)} {r.choice(CYR)}")
            if i % 3 == 0:
                aliases.append(r.choice(JAP) + r.choice(JAP))
            actors = r.sample(ACTORS, r.randint(1, 3))
            summary = (f"{actors[0]} and the {r.choice(ADJ).lower()} "
                       f"{noun.lower()} near {place}; {r.choice(ACTORS)} answered "
                       f"within {r.randint(2, 40)} days, as note {r.randint(1, N_NOTES)} "
                       "records.")
            cites = [f"{{ note = {r.randint(1, N_NOTES)} }}"]
            if i % 2:
                cites.append(f'{{ source = {q(source_id(r.randrange(N_SOURCES)))}, '
                             f'pages = "{r.randint(1, 600)}" }}')
            f.write(
                "[[event]]\n"
                f'id = "ev-{i:07d}-{place.lower().replace(" ", "-")}"\n'
                f"title = {q(title)}\n"
                f'date = "{edtf(r)}"\n'
                f"summary = {q(summary)}\n"
                f"aliases = {qlist(aliases)}\n"
                f"tags = {qlist(r.sample(TAGS, r.randint(1, 3)))}\n"
                f"actors = {qlist(actors)}\n"
                f"places = {qlist([place])}\n"
                f"citations = [{', '.join(cites)}]\n\n")


def parse_n(text: str) -> int:
    t = text.lower().replace("_", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(t.rstrip("km")) * mult


def main(argv: list[str]) -> int:
    global N_SOURCES
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    n, out = parse_n(argv[0]), Path(argv[1])
    if len(argv) == 3:
        N_SOURCES = parse_n(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    r = random.Random(SEED)
    write_sources(out, r)
    write_events(out, n, r)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
