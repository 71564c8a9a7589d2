"""Identifiers of an invoice's parties: country codes, VAT identifiers, IBAN, BIC.

Each ``*_problem`` function returns ``None`` for a valid value, or a :class:`Failure`
(the rule broken and a message a clerk understands). The importer applies them to the
staged cells (:mod:`analytics.contract.importer.validate`); the demo generator uses the
check-digit functions to make valid identifiers.

Values are checked in their electronic form: capital letters and digits, no spaces,
dots or dashes (``DE136695976``, ``DE89370400440532013000``). What is checked:

* country code: one of the 249 ISO 3166-1 alpha-2 codes assigned today;
* VAT identifier: the prefix of an EU member state (Greece: ``EL``; Northern Ireland:
  ``XI``), ``GB``, ``CH`` or ``NO``, then that country's format; the check digits where a
  public algorithm exists (AT BE CZ DE DK ES FI FR HR HU IE IT LU NL PL PT SE, CH).
  Any other ISO country prefix: 2 to 13 letters or digits (format only);
* IBAN: country code, two check digits, the BBAN; the length the IBAN registry (ISO
  13616) fixes for the country, and the BBAN's structure (digits, letters) for the
  countries of :data:`BBAN_STRUCTURES`; ISO 7064 MOD 97-10 (the number mod 97 is 1);
* BIC (ISO 9362): 4 letters (institution), an ISO country code, 2 letters or digits
  (location), optionally 3 letters or digits (branch).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Failure:
    rule: str
    message: str


COUNTRY_CODES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())

# ---------------------------------------------------------------- check-digit algorithms


def luhn_ok(digits: str) -> bool:
    """Luhn (ISO/IEC 7812): doubling every second digit from the right, the sum ends in 0."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def mod_11_10(digits: str) -> int:
    """ISO 7064 MOD 11,10 check digit of ``digits`` (German and Croatian VAT numbers)."""
    product = 10
    for ch in digits:
        s = (int(ch) + product) % 10 or 10
        product = (2 * s) % 11
    return (11 - product) % 10


def _weighted(digits: str, weights) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights))


_LETTER_DIGITS = str.maketrans({chr(ord("A") + k): str(10 + k) for k in range(26)})


def mod97(text: str) -> int:
    """ISO 7064 MOD 97-10 remainder of ``text`` (digits and capital letters), letters
    counting A=10 … Z=35 (the IBAN rule)."""
    return int(text.translate(_LETTER_DIGITS)) % 97


def _at(n: str) -> bool:  # U + 8 digits: Luhn-like sum of the 7 digits, + 4
    s = 0
    for i, ch in enumerate(n[1:8]):
        d = int(ch) * (2 if i % 2 else 1)
        s += d // 10 + d % 10
    return (10 - (s + 4) % 10) % 10 == int(n[8])


def _be(n: str) -> bool:  # 97 - (first 8 digits mod 97) = last 2 digits
    return 97 - int(n[:8]) % 97 == int(n[8:])


def _cz(n: str) -> bool:  # legal entities (8 digits) only; 9 and 10 digits: format only
    if len(n) != 8:
        return True
    r = (11 - _weighted(n, (8, 7, 6, 5, 4, 3, 2))) % 11
    return (r or 1) % 10 == int(n[7])


def _de(n: str) -> bool:
    return mod_11_10(n[:8]) == int(n[8])


def _dk(n: str) -> bool:
    return _weighted(n, (2, 7, 6, 5, 4, 3, 2, 1)) % 11 == 0


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _es(n: str) -> bool:
    """DNI (8 digits + letter), NIE (X/Y/Z + 7 digits + letter), K/L/M + 7 digits + letter
    (letter = number mod 23); otherwise a CIF: letter + 7 digits + control digit or letter."""
    first = n[0]
    if first.isdigit():
        return n[:8].isdigit() and _DNI_LETTERS[int(n[:8]) % 23] == n[8]
    if first in "XYZ":
        return n[1:8].isdigit() and _DNI_LETTERS[int(str("XYZ".index(first)) + n[1:8]) % 23] == n[8]
    if first in "KLM":
        return n[1:8].isdigit() and _DNI_LETTERS[int(n[1:8]) % 23] == n[8]
    if first not in "ABCDEFGHJNPQRSUVW" or not n[1:8].isdigit():
        return False
    odd = sum(sum(divmod(int(d) * 2, 10)) for d in n[1:8:2])
    even = sum(int(d) for d in n[2:8:2])
    control = (10 - (odd + even) % 10) % 10
    return n[8] in (str(control), "JABCDEFGHI"[control])


def _fi(n: str) -> bool:
    r = _weighted(n, (7, 9, 10, 5, 8, 4, 2)) % 11
    return r != 1 and (11 - r) % 11 == int(n[7])


def _fr(n: str) -> bool:
    """The SIREN (9 digits) passes Luhn (except Monaco's, starting 000); a numeric key
    (2 digits) = (12 + 3 × (SIREN mod 97)) mod 97. Alphanumeric keys (the newer scheme for
    some entities) are checked by format only."""
    if n[2:5] != "000" and not luhn_ok(n[2:]):
        return False
    if not n[:2].isdigit():
        return True
    return (12 + 3 * (int(n[2:]) % 97)) % 97 == int(n[:2])


def _hr(n: str) -> bool:
    return mod_11_10(n[:10]) == int(n[10])


def _hu(n: str) -> bool:
    return (10 - _weighted(n, (9, 7, 3, 1, 9, 7, 3)) % 10) % 10 == int(n[7])


def _ie(n: str) -> bool:
    """7 digits + check letter (+ a second letter A–I or W, counted 9 × its value).
    The old form (digit, letter or + or *, 5 digits, letter) is checked by format only."""
    if not n[1].isdigit():
        return True
    s = _weighted(n, (8, 7, 6, 5, 4, 3, 2))
    if len(n) == 9:
        s += 9 * ("WABCDEFGHI".index(n[8]))
    return "WABCDEFGHIJKLMNOPQRSTUV"[s % 23] == n[7]


def _it(n: str) -> bool:
    return luhn_ok(n)


def _lu(n: str) -> bool:
    return int(n[:6]) % 89 == int(n[6:])


def _nl(n: str) -> bool:
    """Either the older mod 11 on the 9 digits (weights 9…2, remainder = 9th digit), or,
    since 2020, ISO 7064 MOD 97-10 over the whole identifier NL…B.. (remainder 1)."""
    r = _weighted(n, (9, 8, 7, 6, 5, 4, 3, 2)) % 11
    return (r < 10 and r == int(n[8])) or mod97("NL" + n) == 1


def _pl(n: str) -> bool:
    r = _weighted(n, (6, 5, 7, 2, 3, 4, 5, 6, 7)) % 11
    return r < 10 and r == int(n[9])


def _pt(n: str) -> bool:
    r = 11 - _weighted(n, (9, 8, 7, 6, 5, 4, 3, 2)) % 11
    return (0 if r > 9 else r) == int(n[8])


def _se(n: str) -> bool:  # 10-digit organisation number (Luhn) + 01
    return luhn_ok(n[:10])


def _ch(n: str) -> bool:  # E + 9 digits (UID): mod 11, weights 5 4 3 2 7 6 5 4
    r = 11 - _weighted(n[1:], (5, 4, 3, 2, 7, 6, 5, 4)) % 11
    return r != 10 and r % 11 == int(n[9])


@dataclass(frozen=True)
class VatScheme:
    pattern: str        # after the prefix
    example: str        # a valid identifier, shown in messages
    check: Callable[[str], bool] | None = None  # the check-digit test, where a public algorithm exists


VAT_SCHEMES: dict[str, VatScheme] = {
    "AT": VatScheme(r"U\d{8}", "ATU13585627", _at),
    "BE": VatScheme(r"[01]\d{9}", "BE0403019261", _be),
    "BG": VatScheme(r"\d{9,10}", "BG175074752"),
    "CY": VatScheme(r"\d{8}[A-Z]", "CY10259033P"),
    "CZ": VatScheme(r"[0-8]\d{7}|\d{9,10}", "CZ25123891", _cz),
    "DE": VatScheme(r"[1-9]\d{8}", "DE136695976", _de),
    "DK": VatScheme(r"[1-9]\d{7}", "DK13585628", _dk),
    "EE": VatScheme(r"\d{9}", "EE100931558"),
    "EL": VatScheme(r"\d{9}", "EL094259216"),
    "ES": VatScheme(r"[0-9A-Z]\d{7}[0-9A-Z]", "ESA13585625", _es),
    "FI": VatScheme(r"\d{8}", "FI20774740", _fi),
    "FR": VatScheme(r"[0-9A-HJ-NP-Z]{2}\d{9}", "FR40303265045", _fr),
    "HR": VatScheme(r"\d{11}", "HR33392005961", _hr),
    "HU": VatScheme(r"\d{8}", "HU12892312", _hu),
    "IE": VatScheme(r"\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W]", "IE6433435F", _ie),
    "IT": VatScheme(r"(?!0{7})\d{7}(00[1-9]|0[1-9]\d|100|12[01]|888|999)\d", "IT00743110157", _it),
    "LT": VatScheme(r"\d{9}|\d{12}", "LT119511515"),
    "LU": VatScheme(r"\d{8}", "LU15027442", _lu),
    "LV": VatScheme(r"\d{11}", "LV40003521600"),
    "MT": VatScheme(r"\d{8}", "MT11679112"),
    "NL": VatScheme(r"(?!0{9})\d{9}B(?!00)\d{2}", "NL004495445B01", _nl),
    "PL": VatScheme(r"\d{10}", "PL8567346215", _pl),
    "PT": VatScheme(r"[1-9]\d{8}", "PT501964843", _pt),
    "RO": VatScheme(r"[1-9]\d{1,9}", "RO18547290"),
    "SE": VatScheme(r"\d{10}01", "SE123456789701", _se),
    "SI": VatScheme(r"[1-9]\d{7}", "SI50223054"),
    "SK": VatScheme(r"[1-9]\d{9}", "SK2022749619"),
    "XI": VatScheme(r"\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2}", "XI980780684"),
    "GB": VatScheme(r"\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2}", "GB980780684"),
    "CH": VatScheme(r"E\d{9}", "CHE116281710", _ch),
    "NO": VatScheme(r"\d{9}MVA", "NO974761076MVA"),
}
_OTHER_VAT = re.compile(r"[0-9A-Z]{2,13}")
_VAT_CHARACTERS = re.compile(r"[0-9A-Z+*]+")
_VAT_PATTERNS = {prefix: re.compile(scheme.pattern) for prefix, scheme in VAT_SCHEMES.items()}


def vat_problem(value: str) -> Failure | None:
    prefix, body = value[:2], value[2:]
    if not _VAT_CHARACTERS.fullmatch(value):
        return Failure("VAT identifier format", f"'{value}' is not a VAT identifier: write it in capital letters and "
                                                "digits, with no spaces, dots or dashes (for example DE136695976)")
    if prefix == "GR":
        return Failure("VAT identifier format", f"'{value}' is not a VAT identifier: Greek VAT identifiers "
                                                "start with EL, not GR (for example EL094259216)")
    scheme = VAT_SCHEMES.get(prefix)
    if scheme is None:
        if prefix in COUNTRY_CODES and _OTHER_VAT.fullmatch(body):
            return None
        return Failure("VAT identifier format", f"'{value}' is not a VAT identifier: it must start with the "
                                                "two-letter code of the country that issued it (for example DE136695976)")
    if not _VAT_PATTERNS[prefix].fullmatch(body):
        return Failure("VAT identifier format", f"'{value}' is not written like a {prefix} VAT identifier "
                                                f"(for example {scheme.example})")
    if scheme.check is not None and not scheme.check(body):
        return Failure("VAT check digits", f"'{value}' has wrong check digits for a {prefix} VAT identifier: "
                                           "a character is mistyped or missing")
    return None


# ---------------------------------------------------------------- IBAN and BIC

#: Total IBAN length per country (SWIFT IBAN registry, ISO 13616).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}


#: BBAN structure per country (IBAN registry notation: ``n`` digits, ``a`` capital letters,
#: ``c`` letters or digits), for the countries of the EU and EEA and a few neighbours; the
#: others are checked by length only.
BBAN_STRUCTURES = {
    "AT": "16n", "BE": "12n", "BG": "4a6n8c", "CH": "5n12c", "CY": "8n16c", "CZ": "20n", "DE": "18n",
    "DK": "14n", "EE": "16n", "ES": "20n", "FI": "14n", "FR": "10n11c2n", "GB": "4a14n", "GR": "7n16c",
    "HR": "17n", "HU": "24n", "IE": "4a14n", "IS": "22n", "IT": "1a10n12c", "LI": "5n12c", "LT": "16n",
    "LU": "3n13c", "LV": "4a13c", "MC": "10n11c2n", "MT": "4a5n18c", "NL": "4a10n", "NO": "11n",
    "PL": "24n", "PT": "21n", "RO": "4a16c", "SE": "20n", "SI": "15n", "SK": "20n", "SM": "1a10n12c",
}
_CLASS = {"n": ("[0-9]", "digits"), "a": ("[A-Z]", "capital letters"), "c": ("[0-9A-Z]", "letters or digits")}


def _bban_parts(structure: str) -> list[tuple[int, str]]:
    return [(int(count), kind) for count, kind in re.findall(r"(\d+)([nac])", structure)]


def bban_regex(country: str) -> str | None:
    structure = BBAN_STRUCTURES.get(country)
    if structure is None:
        return None
    return "".join(f"{_CLASS[kind][0]}{{{count}}}" for count, kind in _bban_parts(structure))


_BBAN_PATTERNS = {country: re.compile(bban_regex(country)) for country in BBAN_STRUCTURES}


def _bban_words(structure: str) -> str:
    return ", then ".join(f"{count} {_CLASS[kind][1]}" for count, kind in _bban_parts(structure))


def iban_check_digits(country: str, bban: str) -> str:
    """The two check digits making ``country + check + bban`` an IBAN (98 - mod 97 of
    the BBAN followed by the country and 00)."""
    return f"{98 - mod97(bban + country + '00'):02d}"


_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[0-9A-Z]{1,30}")
_BIC = re.compile(r"[A-Z]{4}[A-Z]{2}[0-9A-Z]{2}([0-9A-Z]{3})?")


def iban_problem(value: str) -> Failure | None:
    if not _IBAN.fullmatch(value):
        return Failure("IBAN format", f"'{value}' is not an IBAN: two letters (the country), two check digits, "
                                      "then letters and digits, with no spaces (for example DE89370400440532013000)")
    country = value[:2]
    length = IBAN_LENGTHS.get(country)
    if length is None:
        return Failure("IBAN format", f"'{value}' is not an IBAN: {country} is not a country of the IBAN registry")
    if len(value) != length:
        return Failure("IBAN length", f"'{value}' has {len(value)} characters; an IBAN of {country} has {length}")
    structure = _BBAN_PATTERNS.get(country)
    if structure is not None and not structure.fullmatch(value[4:]):
        return Failure("IBAN format", f"'{value}' is not an IBAN of {country}: after the 4 first characters come "
                                      f"{_bban_words(BBAN_STRUCTURES[country])}")
    if mod97(value[4:] + value[:4]) != 1:
        return Failure("IBAN check digits", f"'{value}' fails the IBAN check (ISO 13616 mod 97): "
                                            "a character is mistyped, missing or swapped")
    return None


def bic_problem(value: str) -> Failure | None:
    if not _BIC.fullmatch(value) or value[4:6] not in COUNTRY_CODES:
        return Failure("BIC format", f"'{value}' is not a BIC: 4 letters, the country code, 2 letters or digits, "
                                     "optionally 3 more (8 or 11 characters, for example COBADEFFXXX)")
    return None


def country_problem(value: str) -> Failure | None:
    if value not in COUNTRY_CODES:
        return Failure("country code", f"'{value}' is not an ISO 3166-1 alpha-2 country code "
                                       "(two capital letters such as FR or DE)")
    return None


#: The identifier kinds a contract column may declare (``Column.identifier``).
CHECKS = {"country": country_problem, "vat_id": vat_problem, "iban": iban_problem, "bic": bic_problem}


def problem(kind: str, value: str | None) -> Failure | None:
    """The problem of ``value`` as an identifier of ``kind`` (None when valid or empty)."""
    if value is None:
        return None
    return CHECKS[kind](value)
