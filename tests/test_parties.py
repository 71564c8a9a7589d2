"""parties_of: the seller (station) and the buyer (brand's billing entity in the country, else
its head entity, else the trade name with source None) of an invoice, on a hand-made store."""
from __future__ import annotations


import pytest

from tests.import_support import GOOD, engine_off, write  # noqa: F401

from analytics.billing.parties import Party, UnknownParty, parties_of
from analytics.contract.importer import import_paths
from analytics.core import store

PARTY = "legal_name,street,city,postcode,address_country,vat_id,registration_id,iban,bic"


@pytest.fixture
def con(tmp_path):
    db = tmp_path / "store.duckdb"
    folder = tmp_path / "parties"
    # S01 serves France (its territory) but its legal entity is registered in Belgium
    write(folder, "station_legal.csv",
          f"station_id,{PARTY}\n"
          "S01,Atelier Dupont SRL,Rue du Commerce 4,Bruxelles,1000,BE,BE0403019261,0403.019.261,"
          "BE68539007547034,GKCCBEBB\n"
          "S02,Serwis Kowalski sp. z o.o.,,Warszawa,,PL,PL8567346215,,,\n")
    write(folder, "manufacturer_legal.csv", f"manufacturer_id,{PARTY}\nM01,Lumière SA,,Lyon,,FR,FR40303265045,,,\n")
    write(folder, "billing_entities.csv",
          f"manufacturer_id,country,{PARTY}\nM01,FR,Lumière France SAS,1 av. Foch,Paris,75016,FR,FR40303265045,,,\n")
    result = import_paths(db, [GOOD, folder])
    assert result.ok, result.problems
    reader = store.reader(db)
    yield reader
    reader.close()


def test_billing_entity_of_the_station_territory(con):
    seller, buyer = parties_of(con, "S01", "M01")
    assert seller == Party("Atelier Dupont SRL", "BE", "Rue du Commerce 4", "Bruxelles", "1000", "BE0403019261",
                           "0403.019.261", "BE68539007547034", "GKCCBEBB", "station_legal S01")
    # the country asked is the station's territory (FR), not its legal address (BE)
    assert buyer == Party("Lumière France SAS", "FR", "1 av. Foch", "Paris", "75016", "FR40303265045",
                          None, None, None, "billing_entities M01/FR")


def test_head_entity_where_the_brand_has_no_billing_entity(con):
    seller, buyer = parties_of(con, "S02", "M01")
    assert seller.source == "station_legal S02" and seller.iban is None
    assert buyer == Party("Lumière SA", "FR", None, "Lyon", None, "FR40303265045", source="manufacturer_legal M01")
    assert parties_of(con, "S02", "M01", "FR")[1].source == "billing_entities M01/FR"


def test_trade_names_when_the_store_holds_no_legal_entity(con):
    seller, buyer = parties_of(con, "S03", "M02")
    assert seller == Party("Rhein Reparatur", "DE", city="Köln")
    assert buyer == Party("Nordvik, AB", "DE")
    assert (seller.source, buyer.source, seller.vat_id, buyer.vat_id) == (None, None, None, None)


def test_unknown_station_or_manufacturer(con):
    with pytest.raises(UnknownParty, match="no station 'S99'"):
        parties_of(con, "S99", "M01")
    with pytest.raises(UnknownParty, match="no manufacturer 'M99'"):
        parties_of(con, "S01", "M99")
