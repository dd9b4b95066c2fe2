"""Fixtures the portal's tests share with the accounts' tests."""

from tests.accounts.conftest import citizen  # noqa: F401
