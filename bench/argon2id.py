"""The portal's Argon2id parameters (accounts.hashers.PortalArgon2PasswordHasher), for the
bench's two readers that must hash alike: the peer's hasher (bench/peer/hashers.py, run
from a virtual environment of its own, which cannot import the portal) and the hash ceiling
(bench/hashing.py). bench/hashing.py refuses to measure, and tests/bench fails, when these
are no longer the portal's.
"""

TIME_COST = 2
MEMORY_COST = 19 * 1024  # KiB
PARALLELISM = 1


def differences(hasher) -> list[str]:
    """What `hasher` (a Django Argon2 hasher class) sets otherwise than these."""
    wanted = {"time_cost": TIME_COST, "memory_cost": MEMORY_COST, "parallelism": PARALLELISM}
    return [f"{name} {getattr(hasher, name)} ≠ {value}" for name, value in wanted.items()
            if getattr(hasher, name) != value]
