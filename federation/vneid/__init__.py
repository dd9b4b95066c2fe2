"""Sign-in with VNeID, the national electronic identity: the portal as a relying party.

`base` is the contract (an outside system behind an adapter, `settings.VNEID_PROVIDER`),
`oidc` and `id_token` the real adapter (OpenID Connect through portal.outbound), `flow`
what a returned identity leads to (a login, or a registration the e-ID vouches for),
`views` and `urls` its pages under /dang-nhap/vneid/. The sandbox provider is served by
the sandbox HTTP server (sandbox/vneid.py); nothing here imports it.
"""
