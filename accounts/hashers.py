from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's parameters: m = 19 MiB, t = 2, p = 1 (~45 ms on one core here).

    Django's default (m = 100 MiB, p = 8) costs ~4× the CPU per login for no gain that a
    rate-limited login endpoint needs; the figures are in FIELD-NOTES.md.
    """

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
