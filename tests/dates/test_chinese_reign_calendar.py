"""Chinese reign years (Qing, Manchukuo) and the lunisolar table, against published dates.

Sources: the Qing rows are the deaths, edicts and treaties as Wikipedia's articles on the
Qing emperors and on each event give them in both calendars (e.g. "Guangxu Emperor": died
光緒三十四年十月二十一日, 14 November 1908); the Chinese New Year rows are the table of
Wikipedia's "Chinese New Year" article (also the Hong Kong Observatory's Gregorian–lunar
conversion tables); Manchukuo's reign starts from "Manchukuo" (founded 1 March 1932, Kangde
from 1 March 1934, dissolved 18 August 1945).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from farchron.dates.calendars import chinese
from farchron.dates.edtf import DateError
from farchron.dates.written import parse_human

QING = [  # (as printed, Gregorian)
    ("順治十八年正月初七", "1661-02-05"),         # Shunzhi Emperor dies
    ("康熙六十一年十一月十三日", "1722-12-20"),    # Kangxi Emperor dies
    ("雍正十三年八月二十三日", "1735-10-08"),      # Yongzheng Emperor dies
    ("嘉慶四年正月初三", "1799-02-07"),           # Qianlong Emperor dies
    ("嘉慶二十五年七月二十五日", "1820-09-02"),    # Jiaqing Emperor dies
    ("道光二十二年七月二十四日", "1842-08-29"),    # Treaty of Nanking
    ("道光三十年正月十四日", "1850-02-25"),        # Daoguang Emperor dies
    ("咸豐十一年七月十七日", "1861-08-22"),        # Xianfeng Emperor dies
    ("同治十三年十二月初五", "1875-01-12"),        # Tongzhi Emperor dies
    ("光緒二十一年三月二十三日", "1895-04-17"),    # Treaty of Shimonoseki
    ("光绪二十一年三月二十三日", "1895-04-17"),    # the same, simplified characters
    ("Guangxu 21年3月23日", "1895-04-17"),        # the same, romanised and mixed
    ("光緒二十四年四月二十三日", "1898-06-11"),    # the Hundred Days' Reform edict
    ("光緒二十四年八月初六", "1898-09-21"),        # the Empress Dowager's coup
    ("光緒二十七年七月二十五日", "1901-09-07"),    # the Boxer Protocol
    ("光緒三十四年十月二十一日", "1908-11-14"),    # Guangxu Emperor dies
    ("光緒三十四年十月二十二日", "1908-11-15"),    # Empress Dowager Cixi dies
    ("宣統三年八月十九日", "1911-10-10"),          # Wuchang Uprising
    ("宣統三年十二月二十五日", "1912-02-12"),      # the abdication edict
    ("大同元年3月1日", "1932-03-01"),             # Manchukuo founded
    ("康德元年3月1日", "1934-03-01"),             # Puyi enthroned, Kangde begins
    ("康德12年8月18日", "1945-08-18"),            # Manchukuo dissolved
]

NEW_YEARS = {1900: "1900-01-31", 1901: "1901-02-19", 1902: "1902-02-08", 1903: "1903-01-29",
             1904: "1904-02-16", 1905: "1905-02-04", 1906: "1906-01-25", 1907: "1907-02-13",
             1908: "1908-02-02", 1909: "1909-01-22", 1910: "1910-02-10", 1911: "1911-01-30",
             1912: "1912-02-18"}


@pytest.mark.parametrize(("printed", "gregorian"), QING)
def test_published_reign_dates(printed: str, gregorian: str):
    r = parse_human(printed)
    assert (r.edtf, r.calendar) == (gregorian, "gregorian")
    assert r.written_in == "chinese"


@pytest.mark.parametrize(("year", "day"), sorted(NEW_YEARS.items()))
def test_chinese_new_year(year: int, day: str):
    from farchron.dates.edtf import iso

    assert iso(chinese.new_year(year)) == day


def test_a_reign_year_is_its_lunisolar_interval_never_a_guessed_western_year():
    r = parse_human("Guangxu 21")
    assert r.edtf == "1895-01-26/1896-02-12"
    assert parse_human("光緒21年").edtf == parse_human("光绪二十一年").edtf == r.edtf
    assert parse_human("Kuang-hsü 21").edtf == r.edtf  # Wade–Giles
    assert parse_human("宣統三年").edtf == f"{NEW_YEARS[1911]}/1912-02-17"


def test_leap_months():
    leap = parse_human("光緒二十六年閏八月")  # 1900 had a leap eighth month
    assert leap.edtf == "1900-09-24/1900-10-22"
    assert parse_human("光绪二十六年闰八月").edtf == leap.edtf
    assert parse_human("光緒二十六年八月").edtf == "1900-08-25/1900-09-23"
    with pytest.raises(DateError, match="no leap month 3; its leap month follows month 8"):
        parse_human("光緒二十六年閏三月")


def test_impossible_dates_are_refused_with_the_reason():
    with pytest.raises(DateError, match=r"Xuantong .* has years 1 to 3"):
        parse_human("宣統四年")
    with pytest.raises(DateError, match="has 29 days"):
        parse_human("光緒二十六年閏八月三十日")
    with pytest.raises(DateError, match="Datong 1 is 1932-03-01 to 1932-12-31"):
        parse_human("大同元年2月1日")


def test_names_shared_with_japanese_eras_say_so():
    assert "Daidō" in parse_human("大同元年").note
    assert parse_human("Daidō 1").edtf == "806~"


def test_labels_both_ways():
    assert chinese.chinese_label((1895, 4, 17)) == "Guangxu 21, month 3, day 23"
    assert chinese.chinese_label((1895, 4, 17), hanzi=True) == "光緒二十一年三月二十三日"
    assert chinese.chinese_label((1900, 10, 1), hanzi=True) == "光緒二十六年閏八月初八日"
    assert chinese.chinese_label((1895, 1, 1), (1895, 12, 31)) == "Guangxu 20–21"
    assert chinese.chinese_label((1939, 8, 23)) == "Kangde 6"
    assert chinese.chinese_label((1600, 1, 1)) == ""


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=97_590))  # 1644-02-08 (Shunzhi 1) .. 1911
def test_round_trip_western_chinese_western(offset: int):
    from farchron.dates.calendars.julian import add_days

    day = add_days((1644, 2, 8), offset)
    printed = chinese.chinese_label(day, hanzi=True)
    assert parse_human(printed).date().start == day, printed
