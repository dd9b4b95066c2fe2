from django.conf import settings
from django.core.management.base import BaseCommand

from sandbox.server import serve


class Command(BaseCommand):
    help = "Serve the sandbox stand-ins (carrier registry, SMS gateway) over HTTP."
    # It serves sample records only: start fast, whatever state the portal's checks are in.
    requires_system_checks = ()

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8100)
        parser.add_argument(
            "--sms-fail-first", type=int, default=0, metavar="N",
            help="answer 503 to the first N SMS sends, to exercise retries",
        )
        parser.add_argument(
            "--people", default=None, metavar="FILE",
            help="answer from these people instead of SANDBOX_PEOPLE_FILE (make bench)",
        )

    def handle(self, *args, host, port, sms_fail_first, people, **options):
        self.stdout.write(f"Sandbox listening on http://{host}:{port}/", ending="\n")
        self.stdout.flush()
        try:
            serve(host, port, people or settings.SANDBOX_PEOPLE_FILE, sms_fail_first)
        except KeyboardInterrupt:
            self.stdout.write("Sandbox stopped.")
