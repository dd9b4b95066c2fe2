from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sandbox.softhsm import ProvisionError, identities_from_manifest, provision


class Command(BaseCommand):
    help = (
        "Create a SoftHSM2 token (a development 'USB ký số') holding the development CA's "
        "keys and certificates, for the signing agent."
    )
    # It touches no database and no portal setting beyond DEV_CA_DIR: start fast.
    requires_system_checks = ()

    def add_arguments(self, parser):
        parser.add_argument("--dir", dest="directory", default="var/softhsm",
                            help="directory for softhsm2.conf and the token files")
        parser.add_argument("--label", default="DVC-DEV", help="token label")
        parser.add_argument("--pin", default="123456", help="user PIN")
        parser.add_argument("--so-pin", default="12345678", help="security officer PIN")
        parser.add_argument("--from", dest="ca_dir", default=None,
                            help="the dev_ca directory (default: var/dev-ca)")
        parser.add_argument("--only", nargs="+", metavar="NAME",
                            help="import only these identities of the manifest")

    def handle(self, *args, directory, label, pin, so_pin, ca_dir, only, **options):
        ca_dir = Path(ca_dir or getattr(settings, "DEV_CA_DIR", "var/dev-ca"))
        if not (ca_dir / "manifest.json").exists():
            raise CommandError(f"no {ca_dir / 'manifest.json'}: run `manage.py dev_ca` first")
        try:
            identities = identities_from_manifest(ca_dir, only)
            conf = provision(Path(directory), label, pin, so_pin, identities)
        except ProvisionError as error:
            raise CommandError(str(error)) from error
        for identity in identities:
            self.stdout.write(f"imported: {identity.label}")
        self.stdout.write(self.style.SUCCESS(
            f"Token {label!r} (PIN {pin}) with {len(identities)} certificates. "
            "For the signing agent:"
        ))
        self.stdout.write(f"export SOFTHSM2_CONF={conf}")
