"""The demo network's territory: countries, currencies, VAT rates, NUTS-2 regions and cities.

Region codes and names are the real NUTS 2021 level-2 ones (Eurostat); cities lie in
their region. ``rural`` marks regions where stations drive far (long travel, some
beyond the policy's cap). The data is fixed; which city gets which station is drawn
from the seed.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    cities: tuple[str, ...]
    rural: bool = False


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    currency: str
    vat_rate: str          # standard VAT rate, as the policies write it
    stations: int          # how many stations of the network are in this country
    service_words: tuple[str, ...]   # how a repair shop calls itself there
    regions: tuple[Region, ...]


COUNTRIES: tuple[Country, ...] = (
    Country("FR", "France", "EUR", "0.20", 26, ("Dépannage", "SAV", "Électro Service", "Atelier"), (
        Region("FR10", "Île-de-France", ("Paris", "Versailles", "Créteil", "Saint-Denis")),
        Region("FRK2", "Rhône-Alpes", ("Lyon", "Grenoble", "Annecy", "Saint-Étienne")),
        Region("FRL0", "Provence-Alpes-Côte d'Azur", ("Marseille", "Nice", "Toulon", "Avignon")),
        Region("FRI1", "Aquitaine", ("Bordeaux", "Pau", "Bayonne")),
        Region("FRE1", "Nord-Pas-de-Calais", ("Lille", "Roubaix", "Calais")),
        Region("FRH0", "Bretagne", ("Rennes", "Brest", "Quimper"), rural=True),
        Region("FRC1", "Bourgogne", ("Dijon", "Auxerre", "Nevers"), rural=True),
    )),
    Country("DE", "Germany", "EUR", "0.19", 24, ("Kundendienst", "Reparatur", "Hausgeräte-Service"), (
        Region("DE30", "Berlin", ("Berlin",)),
        Region("DE21", "Oberbayern", ("München", "Ingolstadt", "Rosenheim")),
        Region("DE60", "Hamburg", ("Hamburg",)),
        Region("DEA2", "Köln", ("Köln", "Bonn", "Aachen")),
        Region("DE71", "Darmstadt", ("Frankfurt am Main", "Darmstadt", "Wiesbaden")),
        Region("DE11", "Stuttgart", ("Stuttgart", "Heilbronn", "Esslingen")),
        Region("DED2", "Dresden", ("Dresden", "Görlitz", "Bautzen"), rural=True),
        Region("DE80", "Mecklenburg-Vorpommern", ("Rostock", "Schwerin", "Greifswald"), rural=True),
    )),
    Country("IT", "Italy", "EUR", "0.22", 18, ("Assistenza", "Centro Riparazioni", "Servizio Tecnico"), (
        Region("ITC4", "Lombardia", ("Milano", "Bergamo", "Brescia")),
        Region("ITI4", "Lazio", ("Roma", "Latina", "Viterbo")),
        Region("ITF3", "Campania", ("Napoli", "Salerno", "Caserta")),
        Region("ITC1", "Piemonte", ("Torino", "Novara", "Cuneo")),
        Region("ITH5", "Emilia-Romagna", ("Bologna", "Modena", "Parma")),
        Region("ITG1", "Sicilia", ("Palermo", "Catania", "Messina"), rural=True),
    )),
    Country("ES", "Spain", "EUR", "0.21", 16, ("Servicio Técnico", "Reparaciones", "Asistencia"), (
        Region("ES30", "Comunidad de Madrid", ("Madrid", "Alcalá de Henares", "Getafe")),
        Region("ES51", "Cataluña", ("Barcelona", "Girona", "Tarragona")),
        Region("ES52", "Comunitat Valenciana", ("Valencia", "Alicante", "Castellón de la Plana")),
        Region("ES61", "Andalucía", ("Sevilla", "Málaga", "Granada", "Córdoba")),
        Region("ES21", "País Vasco", ("Bilbao", "San Sebastián", "Vitoria-Gasteiz")),
        Region("ES41", "Castilla y León", ("Valladolid", "Burgos", "León"), rural=True),
    )),
    Country("PL", "Poland", "PLN", "0.23", 16, ("Serwis", "Serwis AGD", "Naprawa"), (
        Region("PL91", "Warszawski stołeczny", ("Warszawa", "Piaseczno")),
        Region("PL21", "Małopolskie", ("Kraków", "Tarnów", "Nowy Sącz")),
        Region("PL51", "Dolnośląskie", ("Wrocław", "Wałbrzych", "Legnica")),
        Region("PL22", "Śląskie", ("Katowice", "Gliwice", "Częstochowa")),
        Region("PL41", "Wielkopolskie", ("Poznań", "Kalisz", "Konin")),
        Region("PL63", "Pomorskie", ("Gdańsk", "Gdynia", "Słupsk")),
        Region("PL84", "Podlaskie", ("Białystok", "Łomża", "Suwałki"), rural=True),
    )),
    Country("SE", "Sweden", "SEK", "0.25", 10, ("Service", "Vitvaruservice", "Reparation"), (
        Region("SE11", "Stockholm", ("Stockholm", "Södertälje")),
        Region("SE23", "Västsverige", ("Göteborg", "Borås", "Trollhättan")),
        Region("SE22", "Sydsverige", ("Malmö", "Lund", "Helsingborg")),
        Region("SE33", "Övre Norrland", ("Umeå", "Luleå", "Kiruna"), rural=True),
    )),
    Country("CZ", "Czechia", "CZK", "0.21", 10, ("Servis", "Opravna", "Servisní centrum"), (
        Region("CZ01", "Praha", ("Praha",)),
        Region("CZ06", "Jihovýchod", ("Brno", "Jihlava", "Znojmo")),
        Region("CZ08", "Moravskoslezsko", ("Ostrava", "Opava", "Karviná")),
        Region("CZ03", "Jihozápad", ("Plzeň", "České Budějovice", "Klatovy"), rural=True),
    )),
    Country("NL", "Netherlands", "EUR", "0.21", 10, ("Reparatie", "Witgoed Service", "Servicepunt"), (
        Region("NL32", "Noord-Holland", ("Amsterdam", "Haarlem", "Alkmaar")),
        Region("NL33", "Zuid-Holland", ("Rotterdam", "Den Haag", "Leiden")),
        Region("NL31", "Utrecht", ("Utrecht", "Amersfoort")),
        Region("NL41", "Noord-Brabant", ("Eindhoven", "Tilburg", "Breda")),
    )),
    Country("BE", "Belgium", "EUR", "0.21", 10, ("Service", "Réparation", "Herstelling"), (
        Region("BE10", "Région de Bruxelles-Capitale", ("Bruxelles",)),
        Region("BE21", "Prov. Antwerpen", ("Antwerpen", "Mechelen", "Turnhout")),
        Region("BE23", "Prov. Oost-Vlaanderen", ("Gent", "Aalst", "Sint-Niklaas")),
        Region("BE33", "Prov. Liège", ("Liège", "Verviers", "Seraing")),
        Region("BE34", "Prov. Luxembourg (BE)", ("Arlon", "Bastogne", "Marche-en-Famenne"), rural=True),
    )),
    Country("AT", "Austria", "EUR", "0.20", 10, ("Kundendienst", "Reparaturservice", "Elektroservice"), (
        Region("AT13", "Wien", ("Wien",)),
        Region("AT22", "Steiermark", ("Graz", "Leoben", "Bruck an der Mur")),
        Region("AT31", "Oberösterreich", ("Linz", "Wels", "Steyr")),
        Region("AT33", "Tirol", ("Innsbruck", "Kufstein", "Lienz"), rural=True),
    )),
    Country("PT", "Portugal", "EUR", "0.23", 8, ("Assistência Técnica", "Reparações", "Serviço Técnico"), (
        Region("PT17", "Área Metropolitana de Lisboa", ("Lisboa", "Setúbal", "Sintra")),
        Region("PT11", "Norte", ("Porto", "Braga", "Guimarães")),
        Region("PT16", "Centro (PT)", ("Coimbra", "Aveiro", "Viseu"), rural=True),
    )),
    Country("DK", "Denmark", "DKK", "0.25", 8, ("Service", "Hvidevareservice", "Reparation"), (
        Region("DK01", "Hovedstaden", ("København", "Hillerød")),
        Region("DK04", "Midtjylland", ("Aarhus", "Randers", "Herning")),
        Region("DK05", "Nordjylland", ("Aalborg", "Hjørring", "Frederikshavn"), rural=True),
    )),
    Country("IE", "Ireland", "EUR", "0.23", 6, ("Appliance Repairs", "Service Centre", "Electrical Services"), (
        Region("IE06", "Eastern and Midland", ("Dublin", "Drogheda", "Athlone")),
        Region("IE05", "Southern", ("Cork", "Limerick", "Waterford")),
        Region("IE04", "Northern and Western", ("Galway", "Sligo", "Letterkenny"), rural=True),
    )),
    Country("HU", "Hungary", "EUR", "0.27", 8, ("Szerviz", "Javítószerviz", "Műszaki Szerviz"), (
        Region("HU11", "Budapest", ("Budapest",)),
        Region("HU22", "Nyugat-Dunántúl", ("Győr", "Szombathely", "Sopron")),
        Region("HU32", "Észak-Alföld", ("Debrecen", "Nyíregyháza", "Szolnok"), rural=True),
    )),
)
# Hungary bills in EUR in the demo (the manufacturers pay HU stations in euros), so
# the network also shows a non-euro country paid in euros.

COUNTRIES_BY_CODE = {c.code: c for c in COUNTRIES}

#: Monthly reference rates start here (euros for one unit) and walk a little each month.
FX_START = {"PLN": 0.2330, "SEK": 0.0880, "CZK": 0.04050, "DKK": 0.13420}

#: Family names used in station names, per country (so names look local).
SURNAMES = {
    "FR": ("Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Lefèvre", "Roux", "Fournier"),
    "DE": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Krüger"),
    "IT": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"),
    "ES": ("García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz"),
    "PL": ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński"),
    "SE": ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson"),
    "CZ": ("Novák", "Svoboda", "Novotný", "Dvořák", "Černý", "Procházka", "Kučera"),
    "NL": ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit"),
    "BE": ("Peeters", "Janssens", "Maes", "Jacobs", "Dupont", "Lambert", "Dubois"),
    "AT": ("Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner", "Moser"),
    "PT": ("Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues"),
    "DK": ("Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen"),
    "IE": ("Murphy", "Kelly", "O'Sullivan", "Walsh", "O'Brien", "Byrne", "Ryan"),
    "HU": ("Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss"),
}
