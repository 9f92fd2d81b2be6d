"""Start the test OpenID Connect provider: create its tables, its users and its client from the JSON
file named by IDP_SETUP, then serve on 127.0.0.1:IDP_PORT until stopped.

    {"users": [{"username": ..., "password": ..., "email": ..., "first_name": ..., "last_name": ...}],
     "client": {"client_id": ..., "client_secret": ..., "redirect_uris": "..."}}
"""

import json
import os

import django
from django.core.management import call_command


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.identity_providers.oidc.settings")
    django.setup()
    from django.contrib.auth.models import User
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    with open(os.environ["IDP_SETUP"]) as file:
        setup = json.load(file)
    for user in setup["users"]:
        password = user.pop("password")
        User.objects.create_user(password=password, **user)
    client = setup["client"]
    Application.objects.create(
        name="Mentora",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uris"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )
    run(
        "127.0.0.1",
        int(os.environ["IDP_PORT"]),
        get_wsgi_application(),
        threading=True,
        server_cls=WSGIServer,
    )


if __name__ == "__main__":
    main()
