from django.core.management.base import BaseCommand, CommandError

from operator_console.counter.scans import ScanRefused, scan_names_older_than, scan_reencrypt


class Command(BaseCommand):
    help = (
        "Rewrite every stored ID-card scan under the newest key of SCAN_ENCRYPTION_KEY (put "
        "the new key first, keep the old ones after it until this has run)."
    )
    requires_system_checks = ()

    def handle(self, *args, **options):
        rewritten = current = failed = 0
        for name in scan_names_older_than(-1):  # every scan, however new
            try:
                if scan_reencrypt(name):
                    rewritten += 1
                else:
                    current += 1
            except ScanRefused as refusal:
                failed += 1
                self.stderr.write(f"{name}: {refusal.message}")
            except FileNotFoundError as error:
                failed += 1
                self.stderr.write(f"{name}: {error}")
        self.stdout.write(f"rewritten: {rewritten}, already under the newest key: {current}, "
                          f"unreadable: {failed}")
        if failed:
            raise CommandError(f"{failed} scan(s) open under none of the listed keys")
