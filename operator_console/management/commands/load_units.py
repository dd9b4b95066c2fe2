from django.core.management.base import BaseCommand

from operator_console.units import admin_units_read, units_load, units_sample_rows


class Command(BaseCommand):
    help = (
        "Create or update the provinces and communes of the 2025 structure (from the "
        "vietnamadminunits dataset) and their one-stop counters. Never deletes a unit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sample", action="store_true",
            help="Load only Hưng Yên, four of its communes and a non-counter department.",
        )

    def handle(self, *args, sample=False, **options):
        counts = units_load(units_sample_rows() if sample else admin_units_read())
        self.stdout.write(
            "Units: {provinces} provinces, {communes} communes, {services} service units;"
            " {created} created, {updated} updated, {unchanged} unchanged.".format(**counts)
        )
