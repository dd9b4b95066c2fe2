from django.core.management.base import BaseCommand

from accounts.services import housekeeping_purge


class Command(BaseCommand):
    help = "Delete dead codes, past rate-limit windows and old SMS rows (run hourly)."

    def handle(self, *args, **options):
        counts = housekeeping_purge()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
