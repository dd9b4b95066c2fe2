from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from sandbox.dev_ca import SPECS, dev_ca_ensure


class Command(BaseCommand):
    help = (
        "Create the development CA (root, intermediate, CRL) and its test certificates, "
        "reusing those already in the directory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", default=None,
                            help="directory for the PEM files (default: var/dev-ca)")

    def handle(self, *args, **options):
        out_dir = Path(options["out"] or getattr(settings, "DEV_CA_DIR", "var/dev-ca"))
        _, made = dev_ca_ensure(out_dir)
        for spec in SPECS:
            action = "created" if spec.name in made else "kept"
            self.stdout.write(f"{action}: {spec.name} ({spec.expect}) — {spec.purpose}")
        ca_made = [name for name in ("root", "intermediate", "untrusted-root", "crl")
                   if name in made]
        self.stdout.write("CA: " + ("made " + ", ".join(ca_made) if ca_made else "all reused"))
        self.stdout.write(self.style.SUCCESS(f"Development CA in {out_dir.resolve()}"))
