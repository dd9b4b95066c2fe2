"""An account's second factors, through one contract.

Each factor is a django-otp Device (accounts/models/factors.py). A login, a
re-authentication or "Bảo mật tài khoản" asks this package which factors an account has
(`registry`), asks a factor for a challenge and checks an answer (`checks`), and adds,
removes or prefers one (`services`); none of them reads a factor's fields.
"""
