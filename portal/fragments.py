"""What base.html and a few static pages draw the same for everyone ({% cache %} blocks:
the head, header, brand and footer, per language), kept in each process's
"template_fragments" cache (settings.CACHES). A deploy starts new processes, so a
fragment lives as long as the code and translations it was drawn from; here it is also
forgotten when a test changes the settings or runserver sees a file change."""

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.autoreload import file_changed


def fragments_forget() -> None:
    if "template_fragments" in settings.CACHES:  # a test may set CACHES without it
        caches["template_fragments"].clear()


@receiver(setting_changed)
def _settings_changed(**kwargs):
    fragments_forget()


@receiver(file_changed)
def _file_changed(**kwargs):
    fragments_forget()  # returns None: the autoreloader still decides what to reload
