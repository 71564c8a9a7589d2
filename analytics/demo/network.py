"""The demo network: manufacturers, stations (with persistent profiles) and who serves whom.

Everything here is small (a few hundred rows) and drawn from the seed, so the same
seed always gives the same network. The bulk tables (interventions and what follows
them) are generated later, month by month, from these arrays.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.demo.geography import COUNTRIES, COUNTRIES_BY_CODE, SURNAMES
from analytics.demo.products import CATEGORIES, CATEGORY_INDEX
from analytics.demo.profiles import PROFILE_INDEX, PROFILES


@dataclass(frozen=True)
class Manufacturer:
    manufacturer_id: str
    name: str
    serial_prefix: str
    model_prefix: str
    #: category -> share of the brand's repairs
    categories: dict
    #: countries where the brand has stations (None: everywhere)
    countries: tuple[str, ...] | None
    weight: float            # relative volume per station served
    pay_days: float          # mean days from invoice to payment
    first_month: int = 0     # month index (0 = January 2023) of its first interventions


MANUFACTURERS: tuple[Manufacturer, ...] = (
    Manufacturer("M01", "Nordhavn Appliances", "NH", "NH",
                 {"washing_machine": 0.34, "dishwasher": 0.18, "refrigerator": 0.22, "dryer": 0.11, "oven": 0.15},
                 None, 1.0, 28.0),
    Manufacturer("M02", "Veltrix Electronics", "VX", "VX",
                 {"tv": 0.42, "laptop": 0.30, "vacuum_cleaner": 0.14, "coffee_machine": 0.14},
                 ("FR", "DE", "IT", "ES", "PL", "SE", "CZ", "NL", "BE", "AT", "PT", "DK", "HU"), 0.8, 42.0),
    Manufacturer("M03", "Casalta Casa", "CC", "CA",
                 {"coffee_machine": 0.36, "oven": 0.22, "refrigerator": 0.18, "vacuum_cleaner": 0.24},
                 ("FR", "IT", "ES", "PT", "BE", "NL", "DE", "AT", "CZ", "PL", "HU"), 0.6, 55.0),
    Manufacturer("M04", "Aurelia Climate", "AU", "AUR",
                 {"air_conditioner": 0.78, "refrigerator": 0.22},
                 ("FR", "ES", "IT", "PT", "PL", "AT", "HU"), 0.55, 35.0),
)
MANUFACTURER_INDEX = {m.manufacturer_id: i for i, m in enumerate(MANUFACTURERS)}
#: how often a station serving several brands takes each one on (drawn without replacement)
_SERVE_WEIGHT = np.array([0.45, 0.32, 0.25, 0.22])
#: product models per (manufacturer, category): suffix numbers and popularity
MODELS_PER_CATEGORY = 4
MODEL_POPULARITY = np.array([0.4, 0.3, 0.2, 0.1])

#: A station whose name shows that text is data (apostrophe, ampersand, quotes).
SPECIAL_NAME = "L'Atelier du Froid & Fils \"Service 24/7\""


@dataclass
class Network:
    """Arrays describing the stations and the (station, manufacturer) pairs."""

    station_ids: list[str]
    station_names: list[str]
    station_country: list[str]
    station_region: list[str | None]
    station_city: list[str]
    station_profile: np.ndarray      # profile index per station
    station_rural: np.ndarray        # bool
    station_size: np.ndarray         # relative volume
    station_start: np.ndarray        # first month index with activity
    station_pay_factor: np.ndarray   # multiplies the manufacturer's payment delay
    pair_station: np.ndarray         # per pair: station index
    pair_manu: np.ndarray            # per pair: manufacturer index
    agreement_station: str           # the station with its own policy agreement (M01)
    models: np.ndarray               # [manufacturer, category, k] model names ('' if unused)

    @property
    def n_stations(self) -> int:
        return len(self.station_ids)

    @property
    def n_pairs(self) -> int:
        return len(self.pair_station)

    def profile_name(self, station_index: int) -> str:
        return PROFILES[self.station_profile[station_index]].name


def _profile_counts(n: int) -> np.ndarray:
    counts = np.array([max(3, round(p.share * n)) for p in PROFILES])
    counts[PROFILE_INDEX["standard"]] += n - counts.sum()
    return counts


def build_network(rng: np.random.Generator) -> Network:
    n = sum(c.stations for c in COUNTRIES)
    profiles = np.repeat(np.arange(len(PROFILES)), _profile_counts(n))
    profiles = rng.permutation(profiles)

    ids, names, countries, regions, cities, rural = [], [], [], [], [], []
    i = 0
    for country in COUNTRIES:
        region_w = np.array([3.0 if k == 0 else (0.8 if r.rural else 1.6) for k, r in enumerate(country.regions)])
        rural_regions = [k for k, r in enumerate(country.regions) if r.rural]
        for _ in range(country.stations):
            station_id = f"S{i + 1:04d}"
            if PROFILES[profiles[i]].name == "remote_rural" and rural_regions:
                region = country.regions[rural_regions[rng.integers(len(rural_regions))]]
            else:
                region = country.regions[rng.choice(len(country.regions), p=region_w / region_w.sum())]
            city = region.cities[rng.integers(len(region.cities))]
            word = country.service_words[rng.integers(len(country.service_words))]
            surname = SURNAMES[country.code][rng.integers(len(SURNAMES[country.code]))]
            style = rng.integers(3)
            name = (f"{word} {surname}" if style == 0 else f"{city} {word}" if style == 1
                    else f"{word} {surname} {city}")
            if i == 0:
                name = SPECIAL_NAME
            ids.append(station_id)
            names.append(name)
            countries.append(country.code)
            # a few stations never told their region: metrics group them under ""
            no_region = rng.random() < 0.03 and PROFILES[profiles[i]].name != "remote_rural"
            regions.append(None if no_region else region.code)
            cities.append(city)
            rural.append(region.rural)
            i += 1

    size = rng.lognormal(0.0, 0.55, n)
    start = np.where(rng.random(n) < 0.08, rng.integers(4, 22, n), 0)
    pay_factor = rng.lognormal(0.0, 0.2, n)

    pair_station, pair_manu = [], []
    for s in range(n):
        available = [k for k, m in enumerate(MANUFACTURERS) if m.countries is None or countries[s] in m.countries]
        w = _SERVE_WEIGHT[available] / _SERVE_WEIGHT[available].sum()
        k = min(len(available), 1 + rng.choice(3, p=[0.45, 0.4, 0.15]))
        served = sorted(rng.choice(available, size=k, replace=False, p=w).tolist())
        for m in served:
            pair_station.append(s)
            pair_manu.append(m)
    pair_station = np.array(pair_station, dtype=np.int64)
    pair_manu = np.array(pair_manu, dtype=np.int64)

    # The station agreement: the first remote station that serves M01 (made to serve it if none does).
    remote = [s for s in range(n) if PROFILES[profiles[s]].name == "remote_rural"]
    serves_m01 = set(pair_station[pair_manu == 0].tolist())
    chosen = next((s for s in remote if s in serves_m01), None)
    if chosen is None:
        chosen = remote[0]
        pair_station = np.append(pair_station, chosen)
        pair_manu = np.append(pair_manu, 0)
    # every brand must have stations in every country it covers
    for k, m in enumerate(MANUFACTURERS):
        for c in (m.countries or [c.code for c in COUNTRIES]):
            in_country = [s for s in range(n) if countries[s] == c]
            if not np.any((pair_manu == k) & np.isin(pair_station, in_country)):
                pair_station = np.append(pair_station, in_country[0])
                pair_manu = np.append(pair_manu, k)
    order = np.lexsort((pair_manu, pair_station))

    models = np.full((len(MANUFACTURERS), len(CATEGORIES), MODELS_PER_CATEGORY), "", dtype=object)
    for mi, m in enumerate(MANUFACTURERS):
        for cat in m.categories:
            ci = CATEGORY_INDEX[cat]
            base = int(rng.integers(2, 9)) * 1000
            for k in range(MODELS_PER_CATEGORY):
                models[mi, ci, k] = f"{m.model_prefix}-{CATEGORIES[ci].prefix}{base + 100 * k + int(rng.integers(0, 10)) * 10}"

    return Network(
        station_ids=ids, station_names=names, station_country=countries, station_region=regions,
        station_city=cities, station_profile=profiles, station_rural=np.array(rural),
        station_size=size, station_start=start, station_pay_factor=pay_factor,
        pair_station=pair_station[order], pair_manu=pair_manu[order],
        agreement_station=ids[chosen], models=models,
    )


def country_of(network: Network, station_index: int):
    return COUNTRIES_BY_CODE[network.station_country[station_index]]
