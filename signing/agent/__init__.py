"""The local signing agent: the bridge between the portal's page and the user's USB token.

Run it with `python -m signing.agent`. It imports nothing from Django or the portal: it
runs on the citizen's machine, next to the token's PKCS#11 driver.
"""
