"""The administrative units of the 2025 two-level structure and the counters attached to them.

Since 1 July 2025 Vietnam has 34 provinces and 3,321 communes (xã, phường, đặc khu), and
counters belong to a provincial "Trung tâm Phục vụ hành chính công" or a commune's "Bộ phận
một cửa" (Decree 118/2025). The list comes from the maintained `vietnamadminunits`
package: its SQLite dataset is read directly, because importing the package pulls in
shapely and geopy, which the portal does not need.

Codes: province "P01", commune "X00004" (the official codes, zero-padded), a unit's counter
"S-" + its code ("S-P33", "S-X11953").
"""

import importlib.util
import sqlite3
from contextlib import closing
from pathlib import Path

from django.db import transaction

from operator_console.models import Unit

# Type words that open a unit's name; on a counter's name they are lower-cased
# ("Bộ phận một cửa phường Phố Hiến").
_TYPE_WORDS = ("Thành phố", "Tỉnh", "Phường", "Xã", "Đặc khu")

SAMPLE_PROVINCE_CODE = "33"  # Hưng Yên
SAMPLE_WARD_CODES = ("11953", "11977", "11980", "11983")  # Phố Hiến, Tân Hưng, Hồng Châu, Sơn Nam
# A department of the province, not a counter: a clerk attached only to it may not create
# accounts, which the sample data uses to show that refusal.
SAMPLE_EXTRA_SERVICES = (
    {"kind": "service", "code": "S-P33-STP", "name": "Sở Tư pháp tỉnh Hưng Yên",
     "parent_code": "P33"},
)


def admin_units_dataset_path() -> Path:
    """Where the installed `vietnamadminunits` keeps its dataset, found without importing it."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the package vietnamadminunits is not installed")
    path = Path(spec.submodule_search_locations[0]) / "data" / "dataset.db"
    if not path.is_file():
        raise FileNotFoundError(f"no dataset at {path}")
    return path


def admin_units_read() -> list[dict]:
    """One row per commune of the 2025 structure, ordered by code:
    `{"province_code": "33", "province": "Tỉnh Hưng Yên", "ward_code": "11953",
    "ward": "Phường Phố Hiến"}`.

    The dataset's `wardType` is left out: in four rows it contradicts the name (e.g.
    "Phường Việt Hòa" typed "Xã"), and the name is what the resolutions say.
    """
    uri = admin_units_dataset_path().as_uri() + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        found = db.execute(
            "SELECT provinceCode, province, wardCode, ward FROM admin_units"
            " ORDER BY provinceCode, wardCode"
        ).fetchall()
    return [
        {"province_code": province_code, "province": province, "ward_code": ward_code,
         "ward": ward}
        for province_code, province, ward_code, ward in found
    ]


def units_sample_rows() -> list[dict]:
    """What `make run` loads: Hưng Yên, four of its communes and, besides their counters,
    one service unit that is not a counter (the provincial Department of Justice)."""
    rows = [
        row for row in admin_units_read()
        if row["province_code"] == SAMPLE_PROVINCE_CODE and row["ward_code"] in SAMPLE_WARD_CODES
    ]
    if len(rows) != len(SAMPLE_WARD_CODES):
        raise LookupError("the dataset no longer holds every sample commune of Hưng Yên")
    return rows + [dict(extra) for extra in SAMPLE_EXTRA_SERVICES]


def units_load(rows, *, with_services: bool = True) -> dict:
    """Create or update the units described by `rows`, in one transaction.

    A row is either a dataset row (see `admin_units_read`), giving a province and one of
    its communes, or an explicit service unit `{"kind": "service", "code": ...,
    "name": ..., "parent_code": ...}` whose parent is in `rows` or already stored. With
    `with_services`, each province and commune also gets its counter.

    Units are matched on their code: running it again renames and re-parents what changed
    and never duplicates. It never deletes a unit, even one the data no longer lists:
    memberships, counter records and audit entries point at units (and PROTECT them), and
    a unit that disappears from the data must be retired by a person who can see that.

    Returns the counts of provinces, communes and service units described, and of those
    created, updated and unchanged.
    """
    provinces: dict[str, tuple] = {}  # code -> (name, kind, parent code)
    communes: dict[str, tuple] = {}
    services: dict[str, tuple] = {}
    for row in rows:
        if row.get("kind") == Unit.Kind.SERVICE:
            _put(services, row["code"], (row["name"], Unit.Kind.SERVICE, row["parent_code"]))
            continue
        province = "P" + str(row["province_code"]).zfill(2)
        commune = "X" + str(row["ward_code"]).zfill(5)
        _put(provinces, province, (row["province"], Unit.Kind.PROVINCE, None))
        _put(communes, commune, (row["ward"], Unit.Kind.COMMUNE, province))
    counters_of_provinces = {}
    counters_of_communes = {}
    if with_services:
        for code, (name, _kind, _parent) in provinces.items():
            counters_of_provinces["S-" + code] = (
                "Trung tâm Phục vụ hành chính công " + _type_lowered(name),
                Unit.Kind.SERVICE, code,
            )
        for code, (name, _kind, _parent) in communes.items():
            counters_of_communes["S-" + code] = (
                "Bộ phận một cửa " + _type_lowered(name), Unit.Kind.SERVICE, code,
            )
    for code, wanted in {**counters_of_provinces, **counters_of_communes}.items():
        _put(services, code, wanted)

    counts = {"provinces": len(provinces), "communes": len(communes),
              "services": len(services), "created": 0, "updated": 0, "unchanged": 0}
    # Parents before children: each level's parents are stored, and their ids known,
    # before the level is written. Explicit services go last, as they may hang on a commune.
    levels = [
        provinces,
        {**communes, **counters_of_provinces},
        {code: wanted for code, wanted in services.items() if code not in counters_of_provinces},
    ]
    with transaction.atomic():
        stored = _stored_units()
        for level in levels:
            writes = []
            for code, (name, kind, parent_code) in level.items():
                parent_id = None
                if parent_code is not None:
                    if parent_code not in stored:
                        raise ValueError(f"unit {code}: no unit with the code {parent_code}")
                    parent_id = stored[parent_code][0]
                now = stored.get(code)
                if now is None:
                    counts["created"] += 1
                elif now[1:] != (name, kind, parent_id):
                    counts["updated"] += 1
                else:
                    counts["unchanged"] += 1
                    continue
                writes.append(Unit(code=code, name=name, kind=kind, parent_id=parent_id))
            if writes:
                # One upsert per level: a unit someone else stored meanwhile is updated,
                # not duplicated.
                Unit.objects.bulk_create(
                    writes, batch_size=1000, update_conflicts=True, unique_fields=["code"],
                    update_fields=["name", "kind", "parent"],
                )
                stored = _stored_units()
    return counts


def _put(units: dict, code: str, wanted: tuple) -> None:
    if units.setdefault(code, wanted) != wanted:
        raise ValueError(f"unit {code} is described twice, differently: {units[code]}, {wanted}")


def _stored_units() -> dict[str, tuple]:
    """code -> (id, name, kind, parent id) of every stored unit (a few thousand rows)."""
    return {
        code: (pk, name, kind, parent_id)
        for pk, code, name, kind, parent_id in Unit.objects.order_by().values_list(
            "pk", "code", "name", "kind", "parent_id"
        )
    }


def _type_lowered(name: str) -> str:
    """"Tỉnh Hưng Yên" -> "tỉnh Hưng Yên", "Đặc khu Cô Tô" -> "đặc khu Cô Tô"; a name
    without a known type word is kept as it is rather than lose a proper noun's capital."""
    for word in _TYPE_WORDS:
        if name.startswith(word + " "):
            return word.lower() + name[len(word):]
    return name
