"""A small SAML 2.0 identity provider (pysaml2, assertions signed by xmlsec1) the single sign-on tests
start on loopback. Configured by the JSON file named by IDP_SETUP:

    {"port": ..., "key_file": ..., "cert_file": ..., "sp_metadata_file": ...,
     "users": {"<name>": {"password": ..., "email": ..., "given_name": ..., "surname": ...,
                          "mode": "signed" | "unsigned" | "tampered" | "wrong_audience"}}}

`mode` is how this IdP misbehaves for that user, so the tests can check Mentora refuses it: an
assertion without a signature, one whose e-mail was changed after signing, or one for another
audience (`wrong_audience_entity_id`, also in the SP metadata file).
"""

import html
import json
import os
import sys
import warnings
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

warnings.filterwarnings("ignore")  # pysaml2's own deprecation warnings are not ours to fix

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT  # noqa: E402
from saml2.config import IdPConfig  # noqa: E402
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS, NameID  # noqa: E402
from saml2.server import Server  # noqa: E402

RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
WRONG_AUDIENCE = "http://wrong-audience.example/saml/metadata/"


def build_server(setup: dict) -> Server:
    base = f"http://127.0.0.1:{setup['port']}"
    config = IdPConfig()
    config.load(
        {
            "entityid": f"{base}/metadata",
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(f"{base}/sso/redirect", BINDING_HTTP_REDIRECT)]
                    },
                    "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                    "want_authn_requests_signed": False,
                    "policy": {"default": {"lifetime": {"minutes": 5}, "name_form": NAME_FORMAT_URI}},
                }
            },
            "key_file": setup["key_file"],
            "cert_file": setup["cert_file"],
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "metadata": {"local": [setup["sp_metadata_file"]]},
        }
    )
    return Server(config=config)


def page(body: str, status: str = "200 OK"):
    return status, [("Content-Type", "text/html; charset=utf-8")], [body.encode()]


def application_for(setup: dict):
    idp = build_server(setup)

    def login_form(saml_request: str, relay_state: str, error: str = "") -> tuple:
        return page(
            "<!doctype html><title>Test SAML IdP</title>"
            f"<p>{html.escape(error)}</p>"
            '<form method="post" action="/sso/login">'
            f'<input type="hidden" name="SAMLRequest" value="{html.escape(saml_request)}">'
            f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
            '<input name="username"><input name="password" type="password"><button>Sign in</button></form>',
            "401 Unauthorized" if error else "200 OK",
        )

    def respond(saml_request: str, relay_state: str, username: str) -> tuple:
        user = setup["users"][username]
        request = idp.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
        mode = user.get("mode", "signed")
        audience = WRONG_AUDIENCE if mode == "wrong_audience" else request.issuer.text
        identity = {"mail": [user["email"]], "givenName": [user["given_name"]], "sn": [user["surname"]]}
        response = idp.create_authn_response(
            identity,
            in_response_to=request.id,
            destination=request.assertion_consumer_service_url,
            sp_entity_id=audience,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=user["email"]),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_assertion=mode != "unsigned",
            sign_response=False,
            sign_alg=RSA_SHA256,
            digest_alg=SHA256,
        )
        text = str(response)
        if mode == "tampered":
            text = text.replace(user["email"], user["tampered_email"])
        http_args = idp.apply_binding(
            BINDING_HTTP_POST, text, request.assertion_consumer_service_url, relay_state, response=True
        )
        return page(http_args["data"])

    def application(environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/sso/redirect":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            status, headers, body = login_form(query["SAMLRequest"][0], query.get("RelayState", [""])[0])
        elif path == "/sso/login" and environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = {
                key: values[0]
                for key, values in parse_qs(environ["wsgi.input"].read(length).decode()).items()
            }
            user = setup["users"].get(form.get("username", ""))
            if user is None or user["password"] != form.get("password"):
                status, headers, body = login_form(
                    form["SAMLRequest"], form.get("RelayState", ""), "Wrong password"
                )
            else:
                status, headers, body = respond(
                    form["SAMLRequest"], form.get("RelayState", ""), form["username"]
                )
        else:
            status, headers, body = page("not found", "404 Not Found")
        start_response(status, headers)
        return body

    return application


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        sys.stderr.write(format % args + "\n")


def main() -> None:
    with open(os.environ["IDP_SETUP"]) as file:
        setup = json.load(file)
    server = make_server("127.0.0.1", setup["port"], application_for(setup), handler_class=QuietHandler)
    server.serve_forever()


if __name__ == "__main__":
    main()
