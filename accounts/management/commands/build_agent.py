from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.agent_dist import agent_build


class Command(BaseCommand):
    help = (
        "Build the signing agent a citizen installs (its wheel, and the files that start it "
        "at login on Linux, macOS and Windows) into SIGNING_AGENT_DIST_DIR, for this portal's "
        "origin; the 'Công cụ ký số' page offers them with their SHA-256."
    )
    requires_system_checks = ()

    def add_arguments(self, parser):
        parser.add_argument("--out", default=None, help="default: SIGNING_AGENT_DIST_DIR")

    def handle(self, *args, out, **options):
        folder = Path(out or settings.SIGNING_AGENT_DIST_DIR)
        try:
            made = agent_build(folder, origin=settings.PORTAL_ORIGIN)
        except Exception as error:  # pip's failure, with its output
            raise CommandError(f"the agent was not built: {error}"
                               f"\n{getattr(error, 'stderr', '')}") from error
        for path in made:
            self.stdout.write(f"built: {path}")
