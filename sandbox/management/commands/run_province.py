from django.core.management.base import BaseCommand

from sandbox.province.app import ProvinceSite, serve
from sandbox.province.oidc import Portal
from sandbox.province.pages import SITE_NAME


class Command(BaseCommand):
    help = ("Serve the sample province's portal, which signs its visitors in through the "
            "portal's OpenID Connect provider (register it first: oidc_client_dev).")
    # An outside site: it never reads the portal's database or checks.
    requires_system_checks = ()

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8200)
        parser.add_argument("--issuer", default="http://127.0.0.1:8000",
                            help="the portal's issuer (its origin)")
        parser.add_argument("--client-id", default="backan-dev")
        parser.add_argument("--secret", default="dev-secret", help="the client's secret")

    def handle(self, *args, host, port, issuer, client_id, secret, **options):
        base_url = f"http://{host}:{port}"
        portal = Portal(issuer=issuer, client_id=client_id, client_secret=secret,
                        base_url=base_url)
        self.stdout.write(f"{SITE_NAME}: {base_url}/ (issuer {issuer})")
        self.stdout.flush()
        try:
            serve(ProvinceSite(portal), host, port)
        except KeyboardInterrupt:
            self.stdout.write("Province stopped.")
