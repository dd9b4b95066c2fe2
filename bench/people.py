"""Made-up people for `make bench`: who registers (the carrier stand-in knows them) and who
logs in (their accounts already exist, all with one password hashed once).

    python -m bench.people --registrants N --logins M --out people.json

Run with DJANGO_SETTINGS_MODULE=bench.settings and the bench's DATABASE_URL. ID numbers are
valid CCCD numbers of province 001 (Hà Nội) that no sample person uses: registrants are
born in 1990 (`0010900…`), those who log in in 1991 (`0010910…`).
"""

import argparse
import datetime as dt
import json

PASSWORD = "Bench#2026-Sai-Gon"
GIVEN = ("An Bình Châu Dũng Giang Hà Hải Hoa Hùng Khánh Lan Linh Long Mai Minh Nam "
         "Ngọc Phúc Quang Sơn Tâm Thảo Trang Tú Vân Yến").split()


def registrant(number: int) -> dict:
    id_number = f"0010900{number:05d}"
    name = f"Nguyễn Văn {GIVEN[number % len(GIVEN)]}"
    carrier = {"id_number": id_number, "full_name": name, "birth_date": "1990-01-01"}
    return {"id_number": id_number, "full_name": name, "birth_date": "1990-01-01",
            "phone": f"+84886{number:06d}", "carrier": carrier, "bhxh": None,
            "vnpost": None, "account": None}


def login_person(number: int) -> dict:
    return {"username": f"0010910{number:05d}", "phone": f"+84887{number:06d}",
            "full_name": f"Trần Thị {GIVEN[number % len(GIVEN)]}"}


def accounts_create(count: int) -> None:
    """The accounts that log in, written in bulk with one Argon2id hash (a salt more or
    less changes nothing in the cost of checking it)."""
    from django.contrib.auth.hashers import make_password

    from accounts.identity import text_fold
    from accounts.models import Account

    password = make_password(PASSWORD)
    people = [login_person(number) for number in range(count)]
    Account.objects.bulk_create([
        Account(username=person["username"], full_name=person["full_name"],
                name_folded=text_fold(person["full_name"]), birth_date=dt.date(1991, 1, 1),
                phone=person["phone"], registration_method=Account.Method.MOBILE,
                password=password)
        for person in people
    ], batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registrants", type=int, required=True)
    parser.add_argument("--logins", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    import django

    django.setup()
    people = [registrant(number) for number in range(args.registrants)]
    with open(args.out, "w", encoding="utf-8") as file:
        json.dump({"about": "make bench", "people": people}, file, ensure_ascii=False)
    accounts_create(args.logins)


if __name__ == "__main__":
    main()
