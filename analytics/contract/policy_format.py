"""One manufacturer's billing policy file (``shared/spec/policy-format.md``): parse, validate, store.

:func:`parse` reads the TOML text (stdlib :mod:`tomllib`, numbers as exact
:class:`~decimal.Decimal`) and checks it completely, listing every problem in one
pass as :class:`~analytics.problems.Problem` objects whose ``column`` is the exact key
path (``version[2].territory.FR.vat_rate``; versions are numbered from 1 in file
order) and whose ``row`` is the TOML line when it can be found.
:func:`store_policy` replaces the manufacturer's rows of ``policy_files``,
``policy_versions``, ``policy_values`` and ``policy_bonus_tiers``.
:func:`unknown_station_warnings` reports station overrides naming stations the
store does not know (a warning, the override is kept).

Readings of the spec chosen here (also in ``docs/DECISIONS.md``):

* The file name must be ``<manufacturer_id>.toml`` (any folder or archive prefix is
  ignored): a mismatch is an error, because the importer keys policy files by name
  and a copied file with a stale ``manufacturer_id`` would silently replace another
  brand's policy.
* A file needs at least one ``[[version]]``.
* ``vat_rate`` must be below 1 (as for invoice lines), so that ``20`` for 20 % is
  caught; numbers hold at most 6 decimals (the store keeps DECIMAL(18,6)).
* The four ``*_months``/``*_days`` keys are whole numbers; ``standard_minutes`` and the
  km keys may be decimals.
* ``required_documents_by_coverage`` keys are coverages (``warranty``, ``extended``,
  ``goodwill``); any other key is an unknown key.
* Country keys of ``territory`` are two capital letters (ISO 3166-1 alpha-2).
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any, Iterable

import duckdb

from analytics.core import sql
from analytics.catalog import SCORABLE_METRICS
from analytics.core.problems import ERROR, WARNING, Problem

# ---------------------------------------------------------------- the keys

#: Required in every version's base: key -> kind ("text", "int", "num").
REQUIRED_BASE_KEYS: dict[str, str] = {
    "currency": "text",
    "vat_rate": "num",
    "labor_rate_per_hour": "num",
    "no_fault_found_fee": "num",
    "travel_flat_fee": "num",
    "travel_free_km": "num",
    "travel_rate_per_km": "num",
    "max_travel_km": "num",
    "parts_markup": "num",
    "warranty_months": "int",
    "extended_months": "int",
    "submission_deadline_days": "int",
    "repeat_window_days": "int",
    "labor_tolerance": "num",
    "amount_tolerance": "num",
}
#: Optional text keys with their allowed values, at any level (docs/EINVOICE.md): who issues
#: the invoice of a station's month, the station (default) or the manufacturer by self-billing.
OPTIONAL_CHOICE_KEYS: dict[str, tuple[str, ...]] = {"invoice_issuer": ("station", "manufacturer")}
#: Scalar keys (the required ones, then the optional ones).
SCALAR_KEYS = tuple(REQUIRED_BASE_KEYS) + tuple(OPTIONAL_CHOICE_KEYS)
LIST_KEYS = ("required_documents",)
#: Table-valued keys merged key by key: key -> kind of each item's value.
TABLE_KEYS: dict[str, str] = {
    "required_documents_by_coverage": "list",
    "required_documents_by_category": "list",
    "standard_minutes": "num",
}
BASE_ONLY_KEYS = ("score_weights", "bonus_tiers")
OVERRIDE_KEYS = SCALAR_KEYS + LIST_KEYS + tuple(TABLE_KEYS)
BASE_KEYS = OVERRIDE_KEYS + BASE_ONLY_KEYS
COVERAGES = ("warranty", "extended", "goodwill")
TIER_KEYS = ("min_score", "max_score", "labor_adjustment")
LEVELS = ("base", "country", "region", "station")

_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_MAX_DECIMALS = 6
_MAX_TEXT = 1000


# ---------------------------------------------------------------- parsed form

@dataclass
class Level:
    """The settings of one level of a version (base or one override)."""

    level: str                      # base | country | region | station
    country: str = ""
    region: str = ""
    station_id: str = ""
    scalars: dict[str, Any] = field(default_factory=dict)        # key -> Decimal | int | str
    lists: dict[str, list[str]] = field(default_factory=dict)    # key -> list
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> item -> value
    path: str = ""                  # key path of the section, for messages


@dataclass
class BonusTier:
    tier_no: int
    min_score: Decimal
    max_score: Decimal | None
    labor_adjustment: Decimal


@dataclass
class PolicyVersion:
    number: int                     # 1-based position in the file
    valid_from: dt.date | None
    levels: list[Level] = field(default_factory=list)
    score_weights: dict[str, Decimal] = field(default_factory=dict)
    bonus_tiers: list[BonusTier] = field(default_factory=list)

    @property
    def base(self) -> Level | None:
        return next((lv for lv in self.levels if lv.level == "base"), None)

    def station_ids(self) -> list[str]:
        return [lv.station_id for lv in self.levels if lv.level == "station"]


@dataclass
class ParsedPolicy:
    file_name: str
    text: str
    manufacturer_id: str | None
    versions: list[PolicyVersion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors


class PolicyRejected(ValueError):
    """Raised by :func:`store_policy` for a file that has errors."""


# ---------------------------------------------------------------- line finder

def _split_key(text: str) -> list[str]:
    """Split a TOML dotted key (``a."b.c".d``) into its parts (best effort)."""
    parts, buf, quote = [], "", None
    for ch in text.strip():
        if quote:
            if ch == quote:
                quote = None
            else:
                buf += ch
        elif ch in "\"'":
            quote = ch
        elif ch == ".":
            parts.append(buf.strip())
            buf = ""
        else:
            buf += ch
    parts.append(buf.strip())
    return parts


_KEYLINE_RE = re.compile(r"""^\s*((?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _line_index(text: str) -> dict[str, int]:
    """Map key paths (as in problems) to the first TOML line that defines them."""
    index: dict[str, int] = {}
    version_no = 0
    tier_no = 0
    header: list[str] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[["):
            parts = _split_key(stripped.strip("[]").split("#")[0])
            if parts == ["version"]:
                version_no += 1
                tier_no = 0
                header = [f"version[{version_no}]"]
            elif parts[:1] == ["version"] and parts[-1] == "bonus_tiers":
                tier_no += 1
                header = [f"version[{version_no}]"] + parts[1:-1] + [f"bonus_tiers[{tier_no}]"]
            else:
                header = parts
            index.setdefault(".".join(header), lineno)
            continue
        if stripped.startswith("["):
            parts = _split_key(stripped.split("]")[0].lstrip("["))
            if parts[:1] == ["version"] and version_no:
                header = [f"version[{version_no}]"] + parts[1:]
            else:
                header = parts
            index.setdefault(".".join(header), lineno)
            continue
        m = _KEYLINE_RE.match(line)
        if m:
            path = ".".join(header + _split_key(m.group(1)))
            index.setdefault(path, lineno)
    return index


def _find_line(index: dict[str, int], path: str) -> int | None:
    """The line of ``path``, else of its closest enclosing section."""
    while path:
        if path in index:
            return index[path]
        if "." not in path:
            break
        path = path.rsplit(".", 1)[0]
    return None


# ---------------------------------------------------------------- validation

class _Checker:
    def __init__(self, file_name: str, text: str):
        self.file = file_name
        self.text = text
        self.problems: list[Problem] = []
        self._index: dict[str, int] | None = None

    def add(self, path: str, value: Any, rule: str, message: str, severity: str = ERROR, row: int | None = None):
        if row is None:
            if self._index is None:
                self._index = _line_index(self.text)
            row = _find_line(self._index, path)
        self.problems.append(
            Problem(self.file, row, path, _show(value), rule, f"{path}: {message}" if path else message, severity)
        )

    # -- typed values
    def number(self, path: str, value: Any, *, integer: bool = False, allow_negative: bool = False):
        """A number (Decimal or int) or None after recording a problem."""
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            what = "a whole number" if integer else "a number"
            self.add(path, value, "type", f"must be {what}, not {_kind(value)}")
            return None
        if isinstance(value, Decimal) and not value.is_finite():
            self.add(path, value, "type", "must be a finite number")
            return None
        if integer and isinstance(value, Decimal):
            if value != value.to_integral_value():
                self.add(path, value, "type", "must be a whole number")
                return None
            value = int(value)
        if value < 0 and not allow_negative:
            self.add(path, value, "negative", f"must not be negative (found {_show(value)})")
            return None
        if isinstance(value, Decimal) and -value.as_tuple().exponent > _MAX_DECIMALS:
            self.add(path, value, "precision", f"has more than {_MAX_DECIMALS} decimals")
            return None
        if abs(value) >= Decimal(10) ** 12:
            self.add(path, value, "range", "is too large")
            return None
        return value

    def text_value(self, path: str, value: Any):
        if not isinstance(value, str):
            self.add(path, value, "type", f"must be text in quotes, not {_kind(value)}")
            return None
        value = value.strip()
        if not value:
            self.add(path, value, "required", "must not be empty")
            return None
        if len(value) > _MAX_TEXT:
            self.add(path, value, "too long", f"is longer than {_MAX_TEXT} characters")
            return None
        return value

    def text_list(self, path: str, value: Any):
        if not isinstance(value, list):
            self.add(path, value, "type", f"must be a list of texts such as [\"technician_report\"], not {_kind(value)}")
            return None
        out, ok = [], True
        for i, item in enumerate(value, start=1):
            t = self.text_value(f"{path}[{i}]", item)
            if t is None:
                ok = False
            elif t not in out:
                out.append(t)
        return out if ok else None

    def table(self, path: str, value: Any):
        if not isinstance(value, dict):
            self.add(path, value, "type", f"must be a table ([{path.split('.', 1)[-1]}] section), not {_kind(value)}")
            return None
        return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, Decimal)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _expected_stem(file_name: str) -> str:
    name = file_name.replace("\\", "/").rsplit(":", 1)[-1]
    name = PurePosixPath(name).name
    return name[:-5] if name.lower().endswith(".toml") else name


def _check_level(ck: _Checker, level: Level, data: dict, allowed: tuple[str, ...], base: bool) -> None:
    """Validate one section's settings into ``level``."""
    where = {"base": "the base policy", "country": "a country override", "region": "a region override",
             "station": "a station override"}[level.level]
    for key, value in data.items():
        path = f"{level.path}.{key}"
        if key not in BASE_KEYS and key not in ("regions",):
            ck.add(path, key, "unknown key", f"unknown key {key!r} in {where}; allowed keys: "
                   + ", ".join(allowed))
            continue
        if key not in allowed:
            if key in BASE_ONLY_KEYS:
                reason = f"{key!r} may only be set in the base policy, so every station of the brand is treated alike"
            elif key == "currency":
                reason = "'currency' may be overridden per country only, not in a region or station override"
            else:
                reason = f"{key!r} is not allowed in {where}"
            ck.add(path, key, "key not allowed here", reason)
            continue
        if key in REQUIRED_BASE_KEYS:
            kind = REQUIRED_BASE_KEYS[key]
            if kind == "text":
                v = ck.text_value(path, value)
                if v is not None and key == "currency" and not _CURRENCY_RE.match(v):
                    ck.add(path, v, "currency", f"must be an ISO 4217 currency code of 3 capital letters such as EUR, not {v!r}")
                    v = None
            else:
                v = ck.number(path, value, integer=(kind == "int"))
                if v is not None and key == "vat_rate" and v >= 1:
                    ck.add(path, v, "range", f"must be a share below 1 (0.20 for 20 %), not {v}")
                    v = None
            if v is not None:
                level.scalars[key] = v
        elif key in OPTIONAL_CHOICE_KEYS:
            v = ck.text_value(path, value)
            if v is not None and v not in OPTIONAL_CHOICE_KEYS[key]:
                ck.add(path, v, "allowed values", f"must be one of {', '.join(OPTIONAL_CHOICE_KEYS[key])}, not {v!r}")
            elif v is not None:
                level.scalars[key] = v
        elif key in LIST_KEYS:
            v = ck.text_list(path, value)
            if v is not None:
                level.lists[key] = v
        elif key in TABLE_KEYS:
            table = ck.table(path, value)
            if table is None:
                continue
            items: dict[str, Any] = {}
            for item, item_value in table.items():
                ipath = f"{path}.{item}"
                if key == "required_documents_by_coverage" and item not in COVERAGES:
                    ck.add(ipath, item, "unknown key",
                           f"unknown coverage {item!r}; coverages are " + ", ".join(COVERAGES))
                    continue
                if not item.strip():
                    ck.add(ipath, item, "required", "an empty key is not allowed")
                    continue
                if TABLE_KEYS[key] == "list":
                    v = ck.text_list(ipath, item_value)
                else:
                    v = ck.number(ipath, item_value)
                if v is not None:
                    items[item] = v
            level.tables[key] = items
        # score_weights / bonus_tiers are handled by the caller (base only)


def _check_version(ck: _Checker, number: int, data: Any) -> PolicyVersion | None:
    vpath = f"version[{number}]"
    if not isinstance(data, dict):
        ck.add(vpath, data, "type", "each version must be a [[version]] table")
        return None
    version = PolicyVersion(number=number, valid_from=None)
    for key in data:
        if key not in ("valid_from", "base", "territory", "station"):
            ck.add(f"{vpath}.{key}", key, "unknown key",
                   f"unknown key {key!r} in a version; a version holds valid_from, base, territory and station")
    vf = data.get("valid_from")
    if vf is None:
        ck.add(f"{vpath}.valid_from", "", "required", "is missing: each version needs valid_from = YYYY-MM-DD")
    elif type(vf) is not dt.date:
        ck.add(f"{vpath}.valid_from", vf, "type", f"must be a date written YYYY-MM-DD (no quotes), not {_kind(vf)}")
    else:
        version.valid_from = vf

    base_data = data.get("base")
    if base_data is None:
        ck.add(f"{vpath}.base", "", "required", "is missing: each version needs a [version.base] section")
    elif ck.table(f"{vpath}.base", base_data) is not None:
        base = Level("base", path=f"{vpath}.base")
        _check_level(ck, base, base_data, BASE_KEYS, base=True)
        for key in REQUIRED_BASE_KEYS:
            if key not in base_data:
                ck.add(f"{vpath}.base.{key}", "", "required",
                       f"the required key {key!r} is missing from the base policy")
        version.levels.append(base)
        if "score_weights" in base_data:
            _check_score_weights(ck, version, f"{vpath}.base.score_weights", base_data["score_weights"])
        if "bonus_tiers" in base_data:
            _check_tiers(ck, version, f"{vpath}.base.bonus_tiers", base_data["bonus_tiers"])

    territory = data.get("territory", {})
    if ck.table(f"{vpath}.territory", territory) is not None:
        for country, cdata in territory.items():
            cpath = f"{vpath}.territory.{country}"
            if not _COUNTRY_RE.match(country):
                ck.add(cpath, country, "country code",
                       f"{country!r} is not a country code: use ISO 3166-1 alpha-2, two capital letters such as FR")
                continue
            if ck.table(cpath, cdata) is None:
                continue
            level = Level("country", country=country, path=cpath)
            _check_level(ck, level, cdata, OVERRIDE_KEYS + ("regions",), base=False)
            version.levels.append(level)
            regions = cdata.get("regions", {})
            if ck.table(f"{cpath}.regions", regions) is None:
                continue
            for region, rdata in regions.items():
                rpath = f"{cpath}.regions.{region}"
                if not region.strip():
                    ck.add(rpath, region, "required", "a region key must not be empty")
                    continue
                if ck.table(rpath, rdata) is None:
                    continue
                rl = Level("region", country=country, region=region, path=rpath)
                allowed = tuple(k for k in OVERRIDE_KEYS if k != "currency")
                _check_level(ck, rl, rdata, allowed, base=False)
                if "regions" in rdata:
                    ck.add(f"{rpath}.regions", "regions", "key not allowed here", "a region cannot hold regions")
                version.levels.append(rl)
    stations = data.get("station", {})
    if ck.table(f"{vpath}.station", stations) is not None:
        for station_id, sdata in stations.items():
            spath = f"{vpath}.station.{station_id}"
            if not station_id.strip():
                ck.add(spath, station_id, "required", "a station key must not be empty")
                continue
            if ck.table(spath, sdata) is None:
                continue
            sl = Level("station", station_id=station_id, path=spath)
            allowed = tuple(k for k in OVERRIDE_KEYS if k != "currency")
            _check_level(ck, sl, sdata, allowed, base=False)
            if "regions" in sdata:
                ck.add(f"{spath}.regions", "regions", "key not allowed here",
                       "'regions' belongs in a country override")
            version.levels.append(sl)
    return version


def _check_score_weights(ck: _Checker, version: PolicyVersion, path: str, value: Any) -> None:
    table = ck.table(path, value)
    if table is None:
        return
    for metric, weight in table.items():
        mpath = f"{path}.{metric}"
        if metric not in SCORABLE_METRICS:
            ck.add(mpath, metric, "unknown key",
                   f"{metric!r} is not a metric with a better direction; use one of " + ", ".join(SCORABLE_METRICS))
            continue
        w = ck.number(mpath, weight)
        if w is not None:
            version.score_weights[metric] = Decimal(w)


def _check_tiers(ck: _Checker, version: PolicyVersion, path: str, value: Any) -> None:
    if not isinstance(value, list):
        ck.add(path, value, "type", "must be a list of [[version.base.bonus_tiers]] tables")
        return
    for i, tier in enumerate(value, start=1):
        tpath = f"{path}[{i}]"
        if not isinstance(tier, dict):
            ck.add(tpath, tier, "type", "each bonus tier must be a table")
            continue
        for key in tier:
            if key not in TIER_KEYS:
                ck.add(f"{tpath}.{key}", key, "unknown key",
                       f"unknown key {key!r} in a bonus tier; allowed: " + ", ".join(TIER_KEYS))
        values = {}
        for key in ("min_score", "labor_adjustment"):
            if key not in tier:
                ck.add(f"{tpath}.{key}", "", "required", f"a bonus tier needs {key}")
        for key in TIER_KEYS:
            if key in tier:
                values[key] = ck.number(f"{tpath}.{key}", tier[key], allow_negative=(key == "labor_adjustment"))
        if values.get("min_score") is not None and values.get("max_score") is not None \
                and values["max_score"] <= values["min_score"]:
            ck.add(f"{tpath}.max_score", values["max_score"], "range", "must be greater than min_score")
            continue
        if values.get("min_score") is not None and values.get("labor_adjustment") is not None:
            version.bonus_tiers.append(BonusTier(i, Decimal(values["min_score"]),
                                                 None if values.get("max_score") is None else Decimal(values["max_score"]),
                                                 Decimal(values["labor_adjustment"])))


def parse(file_name: str, text: str) -> ParsedPolicy:
    """Parse and validate one policy file; every problem is listed in ``.problems``."""
    ck = _Checker(file_name, text)
    parsed = ParsedPolicy(file_name=file_name, text=text, manufacturer_id=None)
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else None
        ck.add("", "", "invalid TOML", f"is not valid TOML: {exc}", row=line)
        parsed.problems = ck.problems
        return parsed

    for key in data:
        if key not in ("manufacturer_id", "version"):
            ck.add(key, key, "unknown key",
                   f"unknown top-level key {key!r}; a policy file holds manufacturer_id and [[version]] sections")
    mid = data.get("manufacturer_id")
    if mid is None:
        ck.add("manufacturer_id", "", "required", "is missing: the file must start with manufacturer_id = \"...\"", row=None)
    else:
        mid = ck.text_value("manufacturer_id", mid)
        if mid is not None:
            parsed.manufacturer_id = mid
            stem = _expected_stem(file_name)
            if stem != mid:
                ck.add("manufacturer_id", mid, "file name",
                       f"the file is named {stem}.toml but declares manufacturer_id {mid!r}; "
                       f"name the file {mid}.toml (one file per manufacturer)")

    versions = data.get("version")
    if versions is None:
        ck.add("version", "", "required", "the file has no [[version]] section: a policy needs at least one version")
        versions = []
    elif not isinstance(versions, list):
        ck.add("version", versions, "type", "must be written as [[version]] sections")
        versions = []
    seen: dict[dt.date, int] = {}
    for number, vdata in enumerate(versions, start=1):
        version = _check_version(ck, number, vdata)
        if version is None:
            continue
        if version.valid_from is not None:
            if version.valid_from in seen:
                ck.add(f"version[{number}].valid_from", version.valid_from, "duplicate valid_from",
                       f"valid_from {version.valid_from} is also the valid_from of version[{seen[version.valid_from]}]: "
                       "two versions cannot start the same day")
            else:
                seen[version.valid_from] = number
        parsed.versions.append(version)
    parsed.problems = ck.problems
    return parsed


# ---------------------------------------------------------------- store

def value_rows(parsed: ParsedPolicy) -> list[dict]:
    """The ``policy_values`` rows of a parsed policy."""
    rows = []
    for version in parsed.versions:
        for lv in version.levels:
            common = dict(manufacturer_id=parsed.manufacturer_id, valid_from=version.valid_from, level=lv.level,
                          country=lv.country, region=lv.region, station_id=lv.station_id)
            for key, value in lv.scalars.items():
                num = None if isinstance(value, str) else Decimal(value)
                rows.append(dict(common, key=key, item="", num_value=num,
                                 text_value=value if isinstance(value, str) else None, list_value=None))
            for key, value in lv.lists.items():
                rows.append(dict(common, key=key, item="", num_value=None, text_value=None, list_value=list(value)))
            for key, items in lv.tables.items():
                for item, value in items.items():
                    if isinstance(value, list):
                        rows.append(dict(common, key=key, item=item, num_value=None, text_value=None,
                                         list_value=list(value)))
                    else:
                        rows.append(dict(common, key=key, item=item, num_value=Decimal(value), text_value=None,
                                         list_value=None))
            if lv.level == "base":
                for metric, weight in version.score_weights.items():
                    rows.append(dict(common, key="score_weights", item=metric, num_value=weight, text_value=None,
                                     list_value=None))
    return rows


def store_policy(con: duckdb.DuckDBPyConnection, parsed: ParsedPolicy) -> None:
    """Replace the manufacturer's policy rows with ``parsed`` (call inside the import's transaction)."""
    if not parsed.ok or not parsed.manufacturer_id:
        raise PolicyRejected(f"{parsed.file_name} has errors and cannot be stored: "
                             + "; ".join(p.message for p in parsed.errors[:5]))
    mid = parsed.manufacturer_id
    # Several statements with one bound parameter: DuckDB binds parameters to the last
    # statement only, so run them one by one (the file holds no ';' inside literals).
    for statement in sql.load("verification/policy_delete").split(";"):
        if statement.strip() and not all(ln.strip().startswith("--") or not ln.strip()
                                         for ln in statement.splitlines()):
            con.execute(statement, {"manufacturer_id": mid})
    sql.execute(con, "verification/policy_insert_file",
                {"manufacturer_id": mid, "file_name": parsed.file_name, "toml_text": parsed.text})
    versions = [{"manufacturer_id": mid, "valid_from": v.valid_from} for v in parsed.versions]
    if versions:
        con.executemany(sql.load("verification/policy_insert_version"), versions)
    rows = value_rows(parsed)
    if rows:
        con.executemany(sql.load("verification/policy_insert_value"), rows)
    tiers = [
        {"manufacturer_id": mid, "valid_from": v.valid_from, "tier_no": t.tier_no, "min_score": t.min_score,
         "max_score": t.max_score, "labor_adjustment": t.labor_adjustment}
        for v in parsed.versions for t in v.bonus_tiers
    ]
    if tiers:
        con.executemany(sql.load("verification/policy_insert_tier"), tiers)


def unknown_station_warnings(con: duckdb.DuckDBPyConnection | None, parsed: ParsedPolicy,
                             extra_station_ids: Iterable[str] = ()) -> list[Problem]:
    """Warnings for station overrides naming a station neither in the store nor in ``extra_station_ids``.

    The override is kept (the station may come with a later import).
    """
    known = set(extra_station_ids)
    if con is not None:
        known |= {r[0] for r in sql.fetch_all(con, "verification/station_ids")}
    ck = _Checker(parsed.file_name, parsed.text)
    for version in parsed.versions:
        for sid in version.station_ids():
            if sid not in known:
                ck.add(f"version[{version.number}].station.{sid}", sid, "unknown station",
                       f"station {sid!r} is not in the store (yet); its override is kept and will apply "
                       "once the station is imported", severity=WARNING)
    return ck.problems
