from django.contrib.auth.hashers import Argon2PasswordHasher

from bench import argon2id


class PeerArgon2PasswordHasher(Argon2PasswordHasher):
    """Django's Argon2id hasher at the portal's parameters, so that both check a password
    at the same cost and the peer's figure shares the portal's ceiling."""

    algorithm = "argon2"
    time_cost = argon2id.TIME_COST
    memory_cost = argon2id.MEMORY_COST
    parallelism = argon2id.PARALLELISM
