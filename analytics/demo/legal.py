"""The demo network's legal entities: who invoices whom (tables of docs/CONTRACT-ADDITIONS.md).

Every station is a local company (its name with the country's legal form, an address in
its city, a VAT identifier, a registration number, an IBAN and a BIC); every brand has a
head office, and a billing entity in each country where it has at least
:data:`ENTITY_MIN_STATIONS` stations (elsewhere, and at home, it is invoiced through its
head office: a cross-border invoice). Identifiers are valid: VAT identifiers with their
check digits, IBANs with ISO 13616 check digits (and the national ones where the
country's rule is simple: French RIB key, Belgian mod 97). Drawn from the seed's own
stream, so the rest of the demo does not change; the same seed gives the same entities.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.contract.identifiers import IBAN_LENGTHS, iban_check_digits, luhn_ok, vat_problem
from analytics.demo.geography import COUNTRIES, COUNTRIES_BY_CODE
from analytics.demo.network import MANUFACTURERS, Network

#: a brand has a billing entity in a country with at least this many stations (not at home)
ENTITY_MIN_STATIONS = 10


@dataclass(frozen=True)
class Head:
    """A brand's head office."""

    country: str
    legal_name: str
    city: str


HEADS = {
    "M01": Head("DK", "Nordhavn Appliances A/S", "København"),
    "M02": Head("NL", "Veltrix Electronics B.V.", "Amsterdam"),
    "M03": Head("IT", "Casalta Casa S.p.A.", "Milano"),
    "M04": Head("ES", "Aurelia Climate S.A.", "Madrid"),
}

#: legal form of a small company, per country
LEGAL_FORMS = {
    "FR": "SARL", "DE": "GmbH", "IT": "S.r.l.", "ES": "S.L.", "PL": "sp. z o.o.", "SE": "AB",
    "CZ": "s.r.o.", "NL": "B.V.", "BE": "BV", "AT": "GmbH", "PT": "Lda.", "DK": "ApS",
    "IE": "Ltd", "HU": "Kft.",
}
#: how a subsidiary is called after the brand's name, per country (legal form of a large one)
SUBSIDIARY = {
    "FR": "France SAS", "DE": "Deutschland GmbH", "IT": "Italia S.r.l.", "ES": "España S.L.",
    "PL": "Polska sp. z o.o.", "SE": "Sverige AB", "CZ": "Česko s.r.o.", "NL": "Nederland B.V.",
    "BE": "Belgium NV", "AT": "Austria GmbH", "PT": "Portugal Lda.", "DK": "Danmark A/S",
    "IE": "Ireland Ltd", "HU": "Magyarország Kft.",
}
#: street names, and whether the house number comes first
STREETS = {
    "FR": (("rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Pasteur"), True),
    "DE": (("Hauptstraße", "Bahnhofstraße", "Industriestraße", "Lindenweg"), False),
    "IT": (("Via Roma", "Via Giuseppe Garibaldi", "Via dell'Industria", "Corso Italia"), False),
    "ES": (("Calle Mayor", "Avenida de la Constitución", "Calle Real", "Calle del Sol"), False),
    "PL": (("ul. Polna", "ul. Lipowa", "ul. Przemysłowa", "ul. Kościuszki"), False),
    "SE": (("Storgatan", "Industrivägen", "Kungsgatan", "Järnvägsgatan"), False),
    "CZ": (("Nádražní", "Průmyslová", "Masarykova", "Husova"), False),
    "NL": (("Stationsweg", "Kerkstraat", "Industrieweg", "Molenstraat"), False),
    "BE": (("Stationsstraat", "Rue de la Gare", "Kerkstraat", "Rue du Commerce"), False),
    "AT": (("Hauptplatz", "Bahnhofstraße", "Gewerbestraße", "Kirchengasse"), False),
    "PT": (("Rua da Liberdade", "Avenida da República", "Rua do Comércio", "Rua Direita"), False),
    "DK": (("Hovedgaden", "Industrivej", "Stationsvej", "Vestergade"), False),
    "IE": (("Main Street", "Church Road", "Industrial Estate", "Station Road"), True),
    "HU": (("Fő utca", "Kossuth Lajos utca", "Ipari út", "Petőfi utca"), False),
}
#: postcode pattern: '#' a digit, 'A' a letter
POSTCODES = {
    "FR": "#####", "DE": "#####", "IT": "#####", "ES": "#####", "PL": "##-###", "SE": "### ##",
    "CZ": "### ##", "NL": "#### AA", "BE": "####", "AT": "####", "PT": "####-###", "DK": "####",
    "IE": "A## A#A#", "HU": "####",
}
#: BBAN of an IBAN: letters of the bank code (the BIC's first four), then digits
BBAN = {
    "FR": (0, 23), "DE": (0, 18), "IT": (0, 23), "ES": (0, 20), "PL": (0, 24), "SE": (0, 20),
    "CZ": (0, 20), "NL": (4, 10), "BE": (0, 12), "AT": (0, 16), "PT": (0, 21), "DK": (0, 14),
    "IE": (4, 14), "HU": (0, 24),
}
#: institution codes of the demo's (fictional) banks: the first four letters of a BIC
BANKS = ("ALVA", "BRAN", "CORV", "MERI", "NORV", "SOLB")
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


class Draw:
    """Digits, letters and choices drawn from one random stream (the caller's seed)."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def digits(self, n: int, first: str = "0123456789") -> str:
        head = first[int(self.rng.integers(len(first)))] if n else ""
        return head + "".join(str(d) for d in self.rng.integers(0, 10, max(n - 1, 0)))

    def pick(self, values):
        return values[int(self.rng.integers(len(values)))]

    def pattern(self, text: str) -> str:
        return "".join(self.digits(1) if ch == "#" else self.pick(_LETTERS) if ch == "A" else ch for ch in text)


def _completed(prefix: str, head, tails: str) -> str:
    """The first ``prefix + head() + t`` that is a valid VAT identifier (``t`` in ``tails``):
    a new head is drawn when no check character fits (a mod 11 remainder of 10)."""
    while True:
        body = head()
        for tail in tails:
            if vat_problem(prefix + body + tail) is None:
                return prefix + body + tail


def vat_id(country: str, draw: Draw) -> str:
    """A valid VAT identifier of a company of ``country``."""
    d = draw.digits
    if country == "FR":
        siren = _siren(draw)
        return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
    if country == "BE":
        body = "0" + d(7, "456789")
        return f"BE{body}{97 - int(body) % 97:02d}"
    heads = {
        "DE": lambda: d(8, "123456789"),
        "IT": lambda: d(7, "0123") + f"{int(draw.rng.integers(1, 101)):03d}",
        "ES": lambda: "B" + d(7, "0123456789"),
        "PL": lambda: d(9, "123456789"),
        "SE": lambda: "556" + d(6),
        "CZ": lambda: d(7, "2345678"),
        "NL": lambda: d(8, "0123456789"),
        "AT": lambda: "U" + d(7),
        "PT": lambda: "5" + d(7),
        "DK": lambda: d(7, "123456789"),
        "IE": lambda: d(7, "3456789"),
        "HU": lambda: d(7, "123456789"),
    }
    tails = {"SE": [f"{k}01" for k in range(10)], "NL": [f"{k}B01" for k in range(10)],
             "IE": "ABCDEFGHIJKLMNOPQRSTUVW"}
    return _completed(country, heads[country], tails.get(country, "0123456789"))


def _siren(draw: Draw) -> str:
    """A SIREN: 8 drawn digits and the Luhn check digit."""
    while True:
        head = draw.digits(8, "3456789")
        for k in "0123456789":
            if luhn_ok(head + k):
                return head + k


def registration_id(country: str, vat: str, draw: Draw) -> str:
    """The company's number in its country's register (several are the VAT number's digits)."""
    body = vat[2:]
    return {
        "FR": f"RCS {body[2:]}", "DE": f"HRB {draw.digits(5, '123456789')}", "IT": body, "ES": body,
        "PL": f"KRS {draw.digits(10, '0')}", "SE": f"{body[:6]}-{body[6:10]}", "CZ": body,
        "NL": f"KvK {draw.digits(8, '123456789')}", "BE": f"{body[:4]}.{body[4:7]}.{body[7:]}",
        "AT": f"FN {draw.digits(6, '123456789')}{draw.pick('abdfghikmpstvwxyz')}", "PT": body, "DK": f"CVR {body}",
        "IE": f"CRO {draw.digits(6, '123456789')}", "HU": f"{draw.digits(2, '01')}-09-{draw.digits(6)}",
    }[country]


def bank_account(country: str, draw: Draw) -> tuple[str, str]:
    """(IBAN, BIC) of an account at one of the demo's banks in ``country``."""
    bank = draw.pick(BANKS)
    letters, digits = BBAN[country]
    bban = bank[:letters] + draw.digits(digits)
    if country == "IT":  # CIN: a letter (its own check is not computed here)
        bban = draw.pick(_LETTERS) + bban[1:]
    elif country == "ES":  # the two control digits of the CCC (bank and branch, then account)
        bban = bban[:8] + _ccc_digit("00" + bban[:8]) + _ccc_digit(bban[10:]) + bban[10:]
    elif country == "BE":  # a Belgian bank code (first 3 digits) from the national list
        bban = draw.pick(("001", "068", "310", "363", "734")) + bban[3:]
    if country == "FR":  # RIB key: 97 - (89 bank + 15 branch + 3 account) mod 97
        bank_code, branch, account = int(bban[:5]), int(bban[5:10]), int(bban[10:21])
        bban = bban[:21] + f"{97 - (89 * bank_code + 15 * branch + 3 * account) % 97:02d}"
    elif country == "BE":  # last two digits: the first ten mod 97 (97 for 0)
        bban = bban[:10] + f"{int(bban[:10]) % 97 or 97:02d}"
    iban = country + iban_check_digits(country, bban) + bban
    assert len(iban) == IBAN_LENGTHS[country], iban
    return iban, f"{bank}{country}{draw.pick(('PP', 'MM', '2X', '22'))}"


def _ccc_digit(digits: str) -> str:
    r = 11 - sum(int(x) * w for x, w in zip(digits, (1, 2, 4, 8, 5, 10, 9, 7, 3, 6))) % 11
    return str({10: 1, 11: 0}.get(r, r))


def _address(country: str, city: str, draw: Draw) -> dict:
    streets, number_first = STREETS[country]
    street, number = draw.pick(streets), int(draw.rng.integers(1, 180))
    return {"street": f"{number} {street}" if number_first else f"{street} {number}",
            "city": city, "postcode": draw.pattern(POSTCODES[country]), "address_country": country}


def _party(legal_name: str, country: str, city: str, draw: Draw) -> dict:
    vat = vat_id(country, draw)
    iban, bic = bank_account(country, draw)
    return {"legal_name": legal_name, **_address(country, city, draw), "vat_id": vat,
            "registration_id": registration_id(country, vat, draw), "iban": iban, "bic": bic}


def _capital(country: str) -> str:
    return COUNTRIES_BY_CODE[country].regions[0].cities[0]


def legal_entities(network: Network, seed: int) -> dict[str, list[dict]]:
    """Rows of ``station_legal``, ``manufacturer_legal`` and ``billing_entities``."""
    draw = Draw(np.random.default_rng([seed, 6]))
    stations = []
    for i, station_id in enumerate(network.station_ids):
        country = network.station_country[i]
        name = f"{network.station_names[i]} {LEGAL_FORMS[country]}"
        stations.append({"station_id": station_id, **_party(name, country, network.station_city[i], draw)})
    heads, entities = [], []
    stations_in = {c.code: c.stations for c in COUNTRIES}
    for m in MANUFACTURERS:
        head = HEADS[m.manufacturer_id]
        heads.append({"manufacturer_id": m.manufacturer_id, **_party(head.legal_name, head.country, head.city, draw)})
        for country in m.countries or tuple(stations_in):
            if country != head.country and stations_in[country] >= ENTITY_MIN_STATIONS:
                name = f"{m.name} {SUBSIDIARY[country]}"
                entities.append({"manufacturer_id": m.manufacturer_id, "country": country,
                                 **_party(name, country, _capital(country), draw)})
    entities.sort(key=lambda r: (r["manufacturer_id"], r["country"]))
    return {"station_legal": stations, "manufacturer_legal": heads, "billing_entities": entities}
