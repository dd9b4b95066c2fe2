"""Signatures from USB tokens and SIMs: the challenge, certificate validation and the
identity a certificate carries.

A library: it knows no accounts and no console. Nothing is imported here so that
`python -m signing.agent` starts without loading Django or the validation code.
"""
