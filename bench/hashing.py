"""The time of one Argon2id hash with the portal's parameters (accounts.hashers), the
baseline of the login figures: a core can check at most 1/time passwords per second.

    python -m bench.hashing [--runs 30]    # prints JSON: seconds (median), cores

The parameters come from bench/argon2id.py, which the peer's hasher reads too; they are
checked against the portal's hasher first, so the ceiling is always the portal's.
"""

import argparse
import json
import os
import statistics
import time

from argon2.low_level import Type, hash_secret

from accounts.hashers import PortalArgon2PasswordHasher
from bench import argon2id


def hash_seconds(runs: int) -> float:
    times = []
    for _ in range(runs + 3):
        started = time.perf_counter()
        hash_secret(b"Bench#2026-Sai-Gon", os.urandom(16), time_cost=argon2id.TIME_COST,
                    memory_cost=argon2id.MEMORY_COST, parallelism=argon2id.PARALLELISM,
                    hash_len=32, type=Type.ID)
        times.append(time.perf_counter() - started)
    return statistics.median(times[3:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    changed = argon2id.differences(PortalArgon2PasswordHasher)
    if changed:
        raise SystemExit("bench/argon2id.py is no longer the portal's Argon2id ("
                         + ", ".join(changed) + "): write the portal's parameters there")
    print(json.dumps({"seconds": hash_seconds(args.runs), "cores": os.cpu_count()}))


if __name__ == "__main__":
    main()
