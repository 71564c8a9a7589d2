"""E-invoice benchmark: what issuing and checking one month's invoice costs, and how it grows
with the number of lines.

    python -m benchmarks.bench_einvoice --db data/clairvoie.duckdb [--lines 20,200,1000]

Steps, in one process (the schematron compilation is paid once per process):

* ``compile schematron`` — the CEN rules as XSLT (UBL and CII) compiled by saxonche;
* on the busiest pre-invoice of the store (copied; the copy's operational database is written):
  ``baseline: pre-invoice build`` (what the pre-invoice page already pays), ``issue`` (build, render
  UBL + CII + Factur-X PDF, validate both, number and store), ``check UBL`` and ``check Factur-X PDF``
  (read, validate, rebuild the pre-invoice, match, store);
* per size N of a hand-made month of N interventions: ``UBL render + validate (N lines)`` against
  ``baseline: UBL render (N lines)``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from analytics.access.scope import Scope
from analytics.billing import preinvoice as pi
from analytics.billing.einvoice import inbox, issuing, model, ubl, validation
from analytics.billing.parties import Party
from analytics.core import store
from benchmarks.harness import Bench

SELLER = Party("Seller GmbH", "DE", "Str. 1", "Berlin", "10115", "DE123456789", "HRB 1", "DE89370400440532013000")
BUYER = Party("Buyer GmbH", "DE", "Str. 2", "Köln", "50667", "DE987654321", "HRB 2")


def synthetic(n: int) -> model.Invoice:
    """An invoice of ``n`` interventions of 48.50 labour + 18.00 travel at 19 %."""
    rate = Decimal("0.19")
    lines = tuple(pi.Line(f"I{i:06d}", dt.date(2024, 3, 1), "RC", "tv", Decimal("48.50"), Decimal("18.00"),
                          Decimal("0.00"), Decimal("66.50"), rate, Decimal("12.64"), Decimal("79.14"), "EUR")
                  for i in range(n))
    net, vat = Decimal("66.50") * n, Decimal("12.64") * n
    doc = pi.PreInvoice("S1", "S", "M1", "M", "2024-03", lines, (), (pi.Total("EUR", net, vat, net + vat),), (),
                        "PF-S1-M1-202403-0123abcd")
    return model.from_preinvoice(doc, SELLER, BUYER, number="B-1", issue_date=dt.date(2024, 4, 1))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a store with parties (e.g. the demo)")
    parser.add_argument("--lines", default="20,200,1000", help="sizes of the hand-made months (interventions)")
    args = parser.parse_args(argv)
    bench = Bench("e-invoice")
    with bench.step("compile schematron (UBL + CII)"):
        validation.warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.duckdb"
        shutil.copyfile(args.db, db)
        con = store.reader(db)
        pairs = pi.available(con, Scope.manager())
        busiest = pairs.sort_values("ready", ascending=False).iloc[0]
        key = (busiest["station_id"], busiest["manufacturer_id"], busiest["month"])
        doc = bench.timed("baseline: pre-invoice build", lambda: pi.build(con, Scope.manager(), *key), repeat=3)
        with bench.step(f"issue ({len(doc.lines)} interventions)", baseline="baseline: pre-invoice build"):
            docs, _ = issuing.issue(db, Scope.manager(), *key, issued_by="bench")
        bench.timed("check UBL", lambda: inbox.check(db, Scope.manager(), docs.ubl_xml, "b.xml", received_by="bench"),
                    repeat=3, baseline="baseline: pre-invoice build")
        bench.timed("check Factur-X PDF", lambda: inbox.check(db, Scope.manager(), docs.facturx_pdf, "b.pdf",
                                                               received_by="bench"),
                    repeat=3, baseline="baseline: pre-invoice build")
    for n in (int(x) for x in args.lines.split(",")):
        inv = synthetic(n)
        bench.timed(f"baseline: UBL render ({n} interventions)", lambda: ubl.to_xml(inv), repeat=3, rows=2 * n)
        result = bench.timed(f"UBL render + validate ({n} interventions)", lambda: validation.validate(ubl.to_xml(inv), "ubl"),
                             repeat=3, rows=2 * n, baseline=f"baseline: UBL render ({n} interventions)")
        assert result.valid, result.summary()
    bench.report()


if __name__ == "__main__":
    main()
