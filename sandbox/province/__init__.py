"""Cổng dịch vụ công tỉnh Bắc Kạn (thử nghiệm): a province's portal that signs its visitors
in with their national account, standing in for the outside portals that use the portal's
OpenID Connect provider (docs/federation.md).

Its own process and port (`manage.py run_province`, started by `make run`); it knows the
portal by its issuer URL only, and the portal never imports it.
"""
