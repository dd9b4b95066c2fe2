"""The local signing agent: the bridge between the portal's page and the user's USB token.

Installed from its wheel (agent/, docs/signing-agent.md), it is `dvc-signing-agent`; from
the checkout, `python -m signing.agent`. It imports nothing from Django or the portal: it
runs on the citizen's machine, next to the token's PKCS#11 driver.
"""

# The installed agent's version: its /status reports it, and the portal's pages tell a
# person whose agent is older than SIGNING_AGENT_MIN_VERSION to install the new one.
__version__ = "1.1.0"
