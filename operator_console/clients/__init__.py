"""The portals that sign people in here (OpenID Connect clients), registered and managed by
the top administrators: the console's pages over federation/clients.py, each change
audited."""
