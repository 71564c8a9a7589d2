"""The demo network: a synthetic but realistic European warranty-repair network.

Deterministic for a seed; written as contract files and loaded through the real
importer, so the demo also proves the contract. See ``docs/DEMO.md``.

Modules, one concept each: :mod:`.geography` (countries, currencies, NUTS regions),
:mod:`.products` (categories, repair codes, seasons), :mod:`.profiles` (station
habits), :mod:`.network` (manufacturers, stations, who serves whom), :mod:`.policies`
(TOML policies and their resolution), :mod:`.timeline` (calendar), :mod:`.interventions`
(month by month, comebacks), :mod:`.documents`, :mod:`.billing` (invoices, lines,
payments, disputes), :mod:`.files` (chunked CSV/Parquet writers), :mod:`.build` (the API).
"""
from analytics.demo.build import build_demo_store, export_demo, load_demo_files, network_for, station_profiles

__all__ = ["build_demo_store", "export_demo", "load_demo_files", "network_for", "station_profiles"]
