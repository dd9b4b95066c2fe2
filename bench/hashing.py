"""The time of one Argon2id hash with the portal's parameters (accounts.hashers), the
baseline of the login figure: a core can check at most 1/time passwords per second.

    python -m bench.hashing [--runs 30]    # prints JSON: seconds (median), cores
"""

import argparse
import json
import os
import statistics
import time

from argon2.low_level import Type, hash_secret

from accounts.hashers import PortalArgon2PasswordHasher as Hasher


def hash_seconds(runs: int) -> float:
    times = []
    for _ in range(runs + 3):
        started = time.perf_counter()
        hash_secret(b"Bench#2026-Sai-Gon", os.urandom(16), time_cost=Hasher.time_cost,
                    memory_cost=Hasher.memory_cost, parallelism=Hasher.parallelism,
                    hash_len=32, type=Type.ID)
        times.append(time.perf_counter() - started)
    return statistics.median(times[3:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    print(json.dumps({"seconds": hash_seconds(args.runs), "cores": os.cpu_count()}))


if __name__ == "__main__":
    main()
