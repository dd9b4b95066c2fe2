"""Add (or bring up to date) a portal that signs people in here, for development:

    manage.py oidc_client_dev --name "Cổng dịch vụ công tỉnh Bắc Kạn (thử nghiệm)" \\
        --client-id backan-dev --secret dev-secret --redirect http://127.0.0.1:8200/callback

Run again with the same client id, it updates that client (the secret too, stored hashed):
`make run` calls it at every start. Without --secret the client is public (PKCE only).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from oauth2_provider.models import get_application_model

from federation.models import Client
from federation.scopes import SCOPES

Application = get_application_model()


class Command(BaseCommand):
    help = "Add or update a development client of the OpenID Connect provider."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="the name people read")
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--secret", default="", help="a confidential client's secret")
        parser.add_argument("--redirect", action="append", required=True,
                            help="a redirect URI, exactly (repeat for more)")
        parser.add_argument("--post-logout-redirect", action="append", default=[],
                            help="where the client may send people after logout (repeatable)")
        parser.add_argument("--scopes", default=" ".join(SCOPES),
                            help="the scopes it may ask (default: all)")
        parser.add_argument("--refresh", action="store_true", help="give it refresh tokens")
        parser.add_argument("--sector", default="", help="share subjects with this sector")
        parser.add_argument("--logo-url", default="")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("oidc_client_dev is for development (DEBUG on); a real portal "
                               "is registered in the console")
        unknown = set(options["scopes"].split()) - set(SCOPES)
        if unknown:
            raise CommandError(f"unknown scopes: {', '.join(sorted(unknown))}")
        with transaction.atomic():
            application = self._application(options)
            Client.objects.update_or_create(application=application, defaults={
                "display_name": options["name"], "logo_url": options["logo_url"],
                "allowed_scopes": options["scopes"].split(),
                "refresh_allowed": options["refresh"], "sector": options["sector"],
                "enabled": True,
            })
        self.stdout.write(f"client {application.client_id}: {options['name']}")

    def _application(self, options):
        application = Application.objects.filter(client_id=options["client_id"]).first()
        application = application or Application(client_id=options["client_id"])
        secret = options["secret"]
        application.name = options["name"][:255]
        application.client_type = (Application.CLIENT_CONFIDENTIAL if secret
                                   else Application.CLIENT_PUBLIC)
        application.client_secret = secret  # hashed as it is saved
        application.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        application.redirect_uris = " ".join(options["redirect"])
        application.post_logout_redirect_uris = " ".join(options["post_logout_redirect"])
        application.algorithm = Application.RS256_ALGORITHM
        application.skip_authorization = False
        try:
            application.clean()
        except ValidationError as invalid:
            raise CommandError("; ".join(invalid.messages)) from None
        application.save()
        return application
