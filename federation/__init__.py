"""Federation: the OpenID Connect provider for other portals, and sign-in with VNeID."""
