"""Done when: a station's software and a manufacturer's ERP, each a script against the served API.

* The station's field-service software sends a day's reports (interventions and the documents
  it has, one batch, with an Idempotency-Key, retried once as a flaky network would), reads back
  each report's findings, and answers a missing-document finding by sending the document.
* The manufacturer's ERP fetches the month's ready pre-invoices of its brand (JSON to book them,
  PDF to file them); each is the document the network manager sees.
"""
from __future__ import annotations

import datetime as dt

from tests.api.conftest import client


def _templates(http, station_id: str) -> list[dict]:
    """Three recent reports of the station, read back through the API, as models for the new day."""
    queue = http.get("/verification-queue", params={"limit": 3}).json()["items"]
    assert len(queue) == 3 and all(r["station_id"] == station_id for r in queue)
    return queue


def test_a_station_software_sends_a_day_reads_findings_and_answers_one(api_url, api_store):
    with client(api_url, api_store.tokens["station"]) as http:
        me = http.get("/me").json()
        station_id = me["station_id"]
        day = dt.date(2026, 1, 20)
        reports, documents = [], []
        for n, model in enumerate(_templates(http, station_id), start=1):
            intervention_id = f"SW-{day:%Y%m%d}-{n}"
            reports.append({
                "intervention_id": intervention_id, "manufacturer_id": model["manufacturer_id"],
                "station_id": station_id, "product_category": model["product_category"], "product_model": "",
                "serial_number": f"SN-{day:%Y%m%d}-{n}", "purchase_date": "2025-11-02", "coverage": "warranty",
                "repair_code": model["repair_code"], "requested_on": (day - dt.timedelta(days=2)).isoformat(),
                "completed_on": day.isoformat(), "submitted_on": day.isoformat(), "visits": "1",
                "labor_minutes": "45", "travel_km": "12", "parts_cost": "35.00", "outcome": "repaired",
                "customer_rating": "5"})
            # the software has the proof of purchase only; the technician's report is not typed yet
            documents.append({"intervention_id": intervention_id, "doc_type": "proof_of_purchase",
                              "received_on": day.isoformat()})
        batch = {"interventions": reports, "documents": documents}
        key = {"Idempotency-Key": f"{station_id}-{day}-reports"}
        sent = http.post("/ingest", json=batch, headers=key)
        assert sent.status_code == 200, sent.text
        assert sent.json()["rows_by_table"] == {"interventions": 3, "documents": 3}
        retried = http.post("/ingest", json=batch, headers=key)  # the answer was lost: send again
        assert retried.content == sent.content and retried.headers["idempotent-replayed"] == "true"

        findings = {r["intervention_id"]: http.get(f"/interventions/{r['intervention_id']}/findings").json()
                    for r in reports}
        assert all(f["status"] in ("ready", "review", "blocked") for f in findings.values())
        missing = [(iid, f) for iid, answer in findings.items() for f in answer["findings"]
                   if f["code"] == "DOC_MISSING" and f["awaiting_answer"]]
        assert missing, findings  # the technician's report is required by the brands' policies
        intervention_id, finding = missing[0]
        assert finding["doc_type"] != "proof_of_purchase" and finding["explanation"]

        answer = http.post(f"/interventions/{intervention_id}/findings/DOC_MISSING/entries", json={
            "kind": "document_sent", "doc_type": finding["doc_type"], "sent_doc_received_on": day.isoformat(),
            "body": "report scanned and sent"})
        assert answer.status_code in (201, 202), answer.text
        after = http.get(f"/interventions/{intervention_id}/findings").json()
        thread = [f for f in after["findings"] if (f["code"], f["doc_type"]) == ("DOC_MISSING", finding["doc_type"])]
        assert thread[0]["thread"][-1]["kind"] == "document_sent"
        assert thread[0]["thread"][-1]["author"] == "station"
        if answer.status_code == 201:  # counted at once (no import was running)
            assert "DOC_MISSING" in after["waived_codes"]
            assert not thread[0]["awaiting_answer"]


def test_a_manufacturer_erp_fetches_the_months_ready_preinvoices(api_url, api_store):
    with client(api_url, api_store.tokens["manufacturer"]) as erp:
        brand = erp.get("/me").json()["manufacturer_id"]
        offers = erp.get("/preinvoices").json()
        month = max(o["month"] for o in offers if o["ready"] > 0)  # the last month with something to pay
        ready = [o for o in erp.get("/preinvoices", params={"month": month}).json() if o["ready"] > 0]
        assert ready and all(o["manufacturer_id"] == brand and o["month"] == month for o in ready)
        books = []
        for offer in ready:
            url = f"/preinvoices/{offer['station_id']}/{brand}/{month}"
            doc = erp.get(url).json()
            assert len(doc["lines"]) == offer["ready"] and len(doc["left_out"]) == offer["left_out"]
            assert doc["totals"] and all(t["gross"] for t in doc["totals"])
            pdf = erp.get(url, params={"format": "pdf"})
            assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
            assert pdf.headers["content-disposition"].startswith('attachment; filename="')
            books.append(doc)
    # the network manager sees the very same documents: same content, same reference
    with client(api_url, api_store.tokens["admin"]) as manager:
        for doc in books:
            assert manager.get(f"/preinvoices/{doc['station_id']}/{brand}/{month}").json() == doc
