"""The peer's accounts: the usernames and password of the portal's bench (bench.people),
written in bulk with one Argon2id hash for all, as bench/people.py does for the portal.

    python -m bench.peer.seed --count N    # DJANGO_SETTINGS_MODULE=bench.peer.settings
"""

import argparse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, required=True)
    args = parser.parse_args()
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from bench.people import PASSWORD, login_person

    password = make_password(PASSWORD)
    User.objects.bulk_create([User(username=login_person(number)["username"], password=password)
                              for number in range(args.count)], batch_size=2000)


if __name__ == "__main__":
    main()
