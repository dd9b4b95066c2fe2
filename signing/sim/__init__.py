"""The mobile signature service of the carriers ("SIM ký số"), behind an adapter."""
