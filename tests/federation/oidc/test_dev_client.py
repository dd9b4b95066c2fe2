"""`manage.py oidc_client_dev`: the development portal, added once, kept up to date."""

import io

import pytest
from django.core.management import CommandError, call_command
from oauth2_provider.models import get_application_model

from federation.models import Client

ARGS = ["--name", "Cổng dịch vụ công tỉnh Bắc Kạn (thử nghiệm)", "--client-id", "backan-dev",
        "--secret", "dev-secret", "--redirect", "http://127.0.0.1:8200/callback",
        "--post-logout-redirect", "http://127.0.0.1:8200/"]


@pytest.mark.django_db
def test_it_adds_the_client_once_and_updates_it(settings):
    settings.DEBUG = True
    call_command("oidc_client_dev", *ARGS, stdout=io.StringIO())
    call_command("oidc_client_dev", *ARGS, "--scopes", "openid profile", "--refresh",
                 stdout=io.StringIO())
    client = Client.objects.select_related("application").get()
    application = client.application
    assert client.display_name == "Cổng dịch vụ công tỉnh Bắc Kạn (thử nghiệm)"
    assert client.allowed_scopes == ["openid", "profile"] and client.refresh_allowed
    assert application.redirect_uris == "http://127.0.0.1:8200/callback"
    assert application.client_type == "confidential" and application.algorithm == "RS256"
    assert application.client_secret != "dev-secret", "stored hashed"
    assert get_application_model().objects.count() == 1


@pytest.mark.django_db
def test_it_is_for_development_only(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="for development"):
        call_command("oidc_client_dev", *ARGS, stdout=io.StringIO())
