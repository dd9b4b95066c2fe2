"""Seed a PostgreSQL database with synthetic counter-created accounts for the console bench.

    python bench/seed_counter_accounts.py --count 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_console_1m [--reset]

Creates the database if needed (--reset drops it first), runs `migrate`, then writes with
COPY: 34 provinces, 3,321 communes, one counter unit per commune ("Bộ phận một cửa xã …",
S-X…) and per province ("Trung tâm Phục vụ hành chính công tỉnh …", S-P…), ~5,000 clerks
with their memberships, and N citizens with their counter records spread over the counter
units and over two years. Secondary indexes are dropped during the load and rebuilt from
their own definitions; FK triggers are off during COPY (the data is consistent by
construction). Ends with VACUUM ANALYZE. Deterministic for a given --seed and --count.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
import uuid
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import psycopg

from accounts.identity import text_fold

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
END = dt.datetime(2026, 11, 22, tzinfo=TZ)
DAYS = 730
COMMUNES = 3321
CLERKS = 5000
CHUNK = 50_000
UNIT_TABLE = "operator_console_unit"
ACCOUNT_TABLE = "accounts_account"
RECORD_TABLE = "operator_console_counterrecord"
MEMBERSHIP_TABLE = "operator_console_membership"
LOADED_TABLES = (ACCOUNT_TABLE, RECORD_TABLE)

# The 34 provinces since 2025 with their codes (also valid ID-card prefixes, "0" + code).
PROVINCES = [
    ("01", "Thành phố Hà Nội"), ("04", "Tỉnh Cao Bằng"), ("08", "Tỉnh Tuyên Quang"),
    ("11", "Tỉnh Điện Biên"), ("12", "Tỉnh Lai Châu"), ("14", "Tỉnh Sơn La"),
    ("15", "Tỉnh Lào Cai"), ("19", "Tỉnh Thái Nguyên"), ("20", "Tỉnh Lạng Sơn"),
    ("22", "Tỉnh Quảng Ninh"), ("24", "Tỉnh Bắc Ninh"), ("25", "Tỉnh Phú Thọ"),
    ("31", "Thành phố Hải Phòng"), ("33", "Tỉnh Hưng Yên"), ("37", "Tỉnh Ninh Bình"),
    ("38", "Tỉnh Thanh Hóa"), ("40", "Tỉnh Nghệ An"), ("42", "Tỉnh Hà Tĩnh"),
    ("44", "Tỉnh Quảng Trị"), ("46", "Thành phố Huế"), ("48", "Thành phố Đà Nẵng"),
    ("51", "Tỉnh Quảng Ngãi"), ("52", "Tỉnh Gia Lai"), ("56", "Tỉnh Khánh Hòa"),
    ("66", "Tỉnh Đắk Lắk"), ("68", "Tỉnh Lâm Đồng"), ("75", "Tỉnh Đồng Nai"),
    ("79", "Thành phố Hồ Chí Minh"), ("80", "Tỉnh Tây Ninh"), ("82", "Tỉnh Đồng Tháp"),
    ("86", "Tỉnh Vĩnh Long"), ("91", "Tỉnh An Giang"), ("92", "Thành phố Cần Thơ"),
    ("96", "Tỉnh Cà Mau"),
]
OTHER_ID_PREFIXES = (
    "002 006 010 017 026 027 030 034 035 036 045 049 054 058 060 062 064 067 070 072 074 "
    "077 083 084 087 089 093 094 095".split()
)
FAMILY = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 3), ("Huỳnh", 2.1),
    ("Phan", 4.5), ("Vũ", 2), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4),
    ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Đinh", 0.9), ("Trương", 0.8),
    ("Đào", 0.7), ("Mai", 0.6), ("Tạ", 0.4), ("Lương", 0.5), ("Cao", 0.5), ("Hà", 0.5),
]
MIDDLE_MALE = [("Văn", 40), ("Hữu", 8), ("Đức", 10), ("Minh", 12), ("Quang", 8),
               ("Công", 6), ("Thanh", 6), ("Xuân", 4), ("Anh", 3), ("Quốc", 5)]
MIDDLE_FEMALE = [("Thị", 50), ("Ngọc", 10), ("Thu", 7), ("Thanh", 7), ("Minh", 5),
                 ("Kim", 5), ("Bảo", 3), ("Hồng", 5), ("Phương", 4), ("Mỹ", 4)]
GIVEN_MALE = ("An Anh Bình Cường Dũng Đạt Đông Hải Hiếu Hòa Hùng Huy Khánh Khoa Kiên Long "
              "Lâm Minh Nam Nghĩa Phong Phúc Quân Quang Sơn Tài Tâm Thắng Thành Tiến Toàn "
              "Trung Tuấn Tùng Việt Vinh Vũ").split()
GIVEN_FEMALE = ("An Anh Châu Chi Dung Đào Giang Hà Hạnh Hằng Hiền Hoa Hương Huyền Khánh Lan "
                "Liên Linh Loan Mai My Ngọc Nhung Oanh Phương Quỳnh Tâm Thảo Thủy Trang "
                "Trinh Uyên Vân Vy Xuân Yến").split()
PLACE_WORDS = ("An Bình Hòa Phú Tân Long Thạnh Xuân Đông Tây Nam Bắc Trung Hưng Mỹ Phước "
               "Thuận Đức Lộc Hiệp Thành Vĩnh Quang Minh Sơn Hải Lạc Yên Định Khánh").split()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="citizen accounts")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    prepare_database(args.database_url, reset=args.reset)
    setup_django(args.database_url)
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        stale = outdated(conn)
    if stale:
        print("seeded by an older portal: seeding again")
        prepare_database(args.database_url, reset=True)
        migrate()
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        if already_seeded(conn, args.count):
            return
        load(conn, args.count, random.Random(args.seed))
    print(f"done in {time.perf_counter() - started:.0f} s")


# -- database --------------------------------------------------------------------------


def prepare_database(url: str, *, reset: bool) -> None:
    name = urlsplit(url).path.lstrip("/")
    if not name or name.startswith("test"):
        sys.exit(f"refusing database name {name!r} (test* databases belong to test runs)")
    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if reset:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup_django(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["DEBUG"] = "1"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    migrate()


def migrate() -> None:
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    call_command("migrate", verbosity=0)
    print("migrated")


def already_seeded(conn, count: int) -> bool:
    existing = conn.execute(f"SELECT count(*) FROM {RECORD_TABLE}").fetchone()[0]
    if existing == 0:
        return False
    if outdated(conn):
        sys.exit("database seeded before records kept their clerk's name: use --reset")
    if existing == count:
        print(f"already seeded with {existing:,} counter accounts; use --reset to redo")
        return True
    sys.exit(f"database holds {existing:,} counter accounts, not {count:,}: use --reset")


def outdated(conn) -> bool:
    """Seeded before the records kept their clerk's name (the migration left it empty)."""
    return conn.execute(f"SELECT 1 FROM {RECORD_TABLE} WHERE clerk_name_folded = '' "
                        "LIMIT 1").fetchone() is not None


def secondary_indexes(conn) -> list[tuple[str, str]]:
    """Name and definition of the loaded tables' indexes that back no constraint."""
    return conn.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relname = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [list(LOADED_TABLES)],
    ).fetchall()


def copy_lines(conn, table: str, columns: list[str], lines) -> int:
    """COPY text lines (tab-separated, already escaped) in chunks; returns the row count."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    written = 0
    with conn.cursor().copy(sql) as copy:
        buffer = []
        for line in lines:
            buffer.append(line)
            if len(buffer) == CHUNK:
                copy.write("\n".join(buffer) + "\n")
                written += len(buffer)
                buffer.clear()
        if buffer:
            copy.write("\n".join(buffer) + "\n")
            written += len(buffer)
    return written


def reset_identity(conn, table: str) -> None:
    conn.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
        f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
    )


# -- load ------------------------------------------------------------------------------


def load(conn, count: int, rng: random.Random) -> None:
    units = make_units(rng)
    step(f"units: {copy_lines(conn, UNIT_TABLE, UNIT_COLUMNS, unit_lines(units)):,}")
    reset_identity(conn, UNIT_TABLE)
    counters = [unit for unit in units if unit["kind"] == "service"]
    people = People(rng)
    clerks = make_clerks(rng, counters)
    indexes = secondary_indexes(conn)
    with conn.transaction():
        conn.execute("SET LOCAL session_replication_role = replica")
        for name, _definition in indexes:
            conn.execute(f"DROP INDEX {name}")
        write_accounts(conn, clerks, counters, people, count, rng)
    step("rebuilding indexes")
    conn.execute("SET maintenance_work_mem = '1GB'")
    for _name, definition in indexes:
        conn.execute(definition)
    reset_identity(conn, ACCOUNT_TABLE)
    reset_identity(conn, MEMBERSHIP_TABLE)
    step("vacuum analyze")
    conn.execute("VACUUM ANALYZE")


def write_accounts(conn, clerks, counters, people, count, rng) -> None:
    lines = (account_line(clerk, people) for clerk in clerks)
    step(f"clerks: {copy_lines(conn, ACCOUNT_TABLE, ACCOUNT_COLUMNS, lines):,}")
    lines = (membership_line(i, clerk) for i, clerk in enumerate(clerks, start=1))
    step(f"memberships: {copy_lines(conn, MEMBERSHIP_TABLE, MEMBERSHIP_COLUMNS, lines):,}")
    citizens = make_citizens(rng, count, counters, first_id=len(clerks) + 1)
    lines = (account_line(citizen, people) for citizen in citizens)
    step(f"citizens: {copy_lines(conn, ACCOUNT_TABLE, ACCOUNT_COLUMNS, lines):,}")
    lines = (record_line(citizen, rng) for citizen in citizens)
    step(f"counter records: {copy_lines(conn, RECORD_TABLE, RECORD_COLUMNS, lines):,}")


def step(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


# -- units -----------------------------------------------------------------------------

UNIT_COLUMNS = ["id", "code", "name", "kind", "parent_id"]


def make_units(rng: random.Random) -> list[dict]:
    """Provinces, communes, a counter per commune and per province; ids from 1."""
    units = []
    for code, name in PROVINCES:
        units.append(unit(len(units) + 1, f"P{code}", name, "province", None))
    per_province, extra = divmod(COMMUNES, len(PROVINCES))
    for index, province in enumerate(units[: len(PROVINCES)]):
        for _ in range(per_province + (index < extra)):
            number = len(units) - len(PROVINCES) + 1
            name = f"{rng.choice(['Xã', 'Phường'])} {place_name(rng)} {number}"
            units.append(unit(len(units) + 1, f"X{number:05d}", name, "commune", province))
    for parent in list(units):
        units.append(counter_unit(len(units) + 1, parent, rng))
    return units


def unit(unit_id, code, name, kind, parent, weight=0.0) -> dict:
    province = parent["province"] if parent else unit_id
    return {"id": unit_id, "code": code, "name": name, "kind": kind,
            "parent_id": parent["id"] if parent else None, "province": province,
            "weight": weight}


def counter_unit(unit_id: int, parent: dict, rng: random.Random) -> dict:
    """The one-stop counter of a commune, or the public service centre of a province."""
    if parent["kind"] == "province":
        place = parent["name"].removeprefix("Tỉnh ").removeprefix("Thành phố ")
        name = f"Trung tâm Phục vụ hành chính công tỉnh {place}"
        return unit(unit_id, f"S-{parent['code']}", name, "service", parent, weight=5.0)
    place = parent["name"].split(" ", 1)[1]
    name = f"Bộ phận một cửa xã {place}"
    weight = rng.lognormvariate(0, 0.7)
    return unit(unit_id, f"S-{parent['code']}", name, "service", parent, weight=weight)


def place_name(rng: random.Random) -> str:
    return " ".join(rng.sample(PLACE_WORDS, 2))


def unit_lines(units):
    for row in units:
        parent = row["parent_id"] or r"\N"
        yield f"{row['id']}\t{row['code']}\t{row['name']}\t{row['kind']}\t{parent}"


# -- people ----------------------------------------------------------------------------


class People:
    """Unique ID numbers and phones, and names drawn with Vietnamese frequencies."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self.family = weighted(FAMILY)
        self.middle = {"m": weighted(MIDDLE_MALE), "f": weighted(MIDDLE_FEMALE)}
        self.second = {"m": weighted(MIDDLE_MALE[1:]), "f": weighted(MIDDLE_FEMALE[1:])}

    def name(self, gender: str) -> str:
        rng = self.rng
        middle = rng.choices(*self.middle[gender])[0]
        parts = [rng.choices(*self.family)[0], middle]
        if middle in ("Văn", "Thị") and rng.random() < 0.3:
            # "Nguyễn Thị Thu Hà", "Lê Văn Minh Tuấn"
            parts.append(rng.choices(*self.second[gender])[0])
        parts.append(rng.choice(GIVEN_MALE if gender == "m" else GIVEN_FEMALE))
        return " ".join(parts)

    def id_number(self, prefix: str, gender: str, birth: dt.date) -> str:
        century = (birth.year - 1900) // 100 * 2 + (gender == "f")
        head = f"{prefix}{century}{birth.year % 100:02d}"
        while True:
            number = f"{head}{self.rng.randrange(1_000_000):06d}"
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def phone(self) -> str:
        while True:
            phone = f"+849{self.rng.randrange(100_000_000):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone


def weighted(pairs) -> tuple[list, list]:
    return [value for value, _ in pairs], [weight for _, weight in pairs]


def person(rng: random.Random, account_id: int, province_code: str, created: dt.datetime):
    gender = rng.choice("mf")
    birth = dt.date(rng.randint(1950, 2008), 1, 1) + dt.timedelta(days=rng.randrange(365))
    own_province = rng.random() < 0.8
    prefix = "0" + province_code if own_province else rng.choice(OTHER_ID_PREFIXES)
    return {"id": account_id, "gender": gender, "birth": birth, "prefix": prefix,
            "created": created}


def make_clerks(rng: random.Random, counters: list[dict]) -> list[dict]:
    """One clerk per counter, the rest at the busiest-weighted counters; ids from 1."""
    extra = rng.choices(counters, weights=[c["weight"] for c in counters],
                        k=CLERKS - len(counters))
    created = END - dt.timedelta(days=DAYS + 30)
    clerks = []
    for counter in counters + extra:
        clerk = person(rng, len(clerks) + 1, province_code(counter), created)
        clerk.update(unit=counter, clerk=None, method="admin")
        counter.setdefault("clerks", []).append(clerk)
        clerks.append(clerk)
    return clerks


def make_citizens(rng, count, counters, *, first_id):
    """Citizens in creation order (ids grow with time, as in production)."""
    chosen = rng.choices(counters, weights=[c["weight"] for c in counters], k=count)
    seconds = sorted(rng.randrange(DAYS * 86400) for _ in range(count))
    start = END - dt.timedelta(days=DAYS)
    citizens = []
    for offset, (counter, second) in enumerate(zip(chosen, seconds, strict=True)):
        created = office_hours(start + dt.timedelta(seconds=second))
        citizen = person(rng, first_id + offset, province_code(counter), created)
        citizen.update(unit=counter, clerk=rng.choice(counter["clerks"]), method="counter")
        citizens.append(citizen)
    return citizens


def office_hours(moment: dt.datetime) -> dt.datetime:
    """Squeeze the time of day into 7:30-17:00, keeping the order within a day."""
    day_second = moment.hour * 3600 + moment.minute * 60 + moment.second
    squeezed = 27000 + day_second * 34200 // 86400
    midnight = moment.replace(hour=0, minute=0, second=0)
    return midnight + dt.timedelta(seconds=squeezed)


def province_code(counter: dict) -> str:
    return PROVINCES[counter["province"] - 1][0]


# -- rows ------------------------------------------------------------------------------

ACCOUNT_COLUMNS = [
    "id", "password", "last_login", "is_superuser", "username", "account_type", "full_name",
    "birth_date", "phone", "email", "assurance_level", "registration_method", "verified_by",
    "terms_version", "terms_accepted_at", "created_at", "is_active", "is_staff",
    "created_by_id", "must_change_password", "name_folded",
]
RECORD_COLUMNS = ["account_id", "created_at", "scan_name", "scan_type", "mismatch_reason",
                  "clerk_id", "unit_id", "name_folded", "clerk_name", "clerk_name_folded"]
MEMBERSHIP_COLUMNS = ["id", "added_at", "account_id", "added_by_id", "unit_id"]


def account_line(row: dict, people: People) -> str:
    full_name = people.name(row["gender"])
    row["full_name"] = full_name
    username = people.id_number(row["prefix"], row["gender"], row["birth"])
    created = row["created"].isoformat()
    clerk = row["clerk"]
    created_by = clerk["id"] if clerk else r"\N"
    must_change = "t" if row["method"] == "counter" and people.rng.random() < 0.3 else "f"
    return "\t".join([
        str(row["id"]), "!", r"\N", "f", username, "citizen", full_name,
        row["birth"].isoformat(), people.phone(), "", "2", row["method"], "", "v1", created,
        created, "t", "f", str(created_by), must_change, text_fold(full_name),
    ])


def membership_line(membership_id: int, clerk: dict) -> str:
    added = clerk["created"].isoformat()
    return f"{membership_id}\t{added}\t{clerk['id']}\t\\N\t{clerk['unit']['id']}"


def record_line(row: dict, rng: random.Random) -> str:
    scan_type = "pdf" if rng.random() < 0.7 else "jpg"
    scan_name = f"{uuid.UUID(int=rng.getrandbits(128), version=4)}.{scan_type}.enc"
    reason = "Thẻ cũ, năm sinh in sai" if rng.random() < 0.01 else ""
    return "\t".join([
        str(row["id"]), row["created"].isoformat(), scan_name, scan_type, reason,
        str(row["clerk"]["id"]), str(row["unit"]["id"]), text_fold(row["full_name"]),
        row["clerk"]["full_name"], text_fold(row["clerk"]["full_name"]),
    ])


if __name__ == "__main__":
    main()
