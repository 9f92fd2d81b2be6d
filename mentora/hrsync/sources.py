"""Reading an HR export from the configured source, within the people import's size limit.

A folder must lie inside one of HR_SYNC_FOLDERS (the server's operator chooses them; an org admin
cannot make the server read anything else); its newest .csv or .xlsx file is read. An address must
be HTTPS, is fetched without following redirects, and may not point at the server's own network
(loopback, private, link-local) unless HR_SYNC_ALLOW_PRIVATE_ADDRESSES is set (tests, a
self-hosted HR system on the same network). Every failure is a `SourceError` with a reason to show.
"""

import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from mentora.people.importing import import_too_large_message

EXPORT_SUFFIXES = (".csv", ".xlsx")
TIMEOUT_SECONDS = 60


class SourceError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    source: str  # what was read, to show (never the token)


def folder_error(folder: str) -> str | None:
    """Why this folder cannot be a source, or None."""
    roots = [Path(root).resolve() for root in settings.HR_SYNC_FOLDERS]
    if not roots:
        return _("Folder sources are not enabled on this server (HR_SYNC_FOLDERS is empty): use an address.")
    path = Path(folder).resolve()
    if not any(path == root or root in path.parents for root in roots):
        return _("Use a folder inside one the server allows: %(roots)s.") % {
            "roots": ", ".join(str(root) for root in roots)
        }
    return None


def url_error(url: str) -> str | None:
    """Why this address cannot be a source (before any connection), or None."""
    parts = urllib.parse.urlsplit(url)
    private_allowed = settings.HR_SYNC_ALLOW_PRIVATE_ADDRESSES
    if parts.scheme != "https" and not (parts.scheme == "http" and private_allowed):
        return _("Use an https:// address.")
    if not parts.hostname:
        return _("Enter a full address, such as https://hr.example.com/export.csv.")
    if parts.username or parts.password:
        return _("Put no user name or password in the address: use the bearer token.")
    return None


def _check_host(hostname: str, port: int) -> None:
    if settings.HR_SYNC_ALLOW_PRIVATE_ADDRESSES:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(hostname, port, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError) as error:
        message = _("The address's server name could not be found (%(error)s).") % {"error": error}
        raise SourceError(message) from error
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise SourceError(_("The address points at a private or local network, which is not allowed."))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _limited(stream, what: str) -> bytes:
    max_bytes = settings.PEOPLE_IMPORT_MAX_BYTES
    content = stream.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise SourceError(import_too_large_message(max_bytes))
    if not content:
        raise SourceError(_("%(what)s is empty.") % {"what": what})
    return content


def read_folder(folder: str) -> Export:
    if error := folder_error(folder):
        raise SourceError(error)
    path = Path(folder).resolve()
    if not path.is_dir():
        raise SourceError(_("The folder %(folder)s does not exist.") % {"folder": folder})
    files = [child for child in path.iterdir() if child.is_file() and child.suffix.lower() in EXPORT_SUFFIXES]
    if not files:
        raise SourceError(_("The folder %(folder)s holds no .csv or .xlsx file.") % {"folder": folder})
    newest = max(files, key=lambda child: (child.stat().st_mtime, child.name))
    try:
        with newest.open("rb") as stream:
            content = _limited(stream, newest.name)
    except OSError as error:
        raise SourceError(
            _("The file %(file)s could not be read (%(error)s).") % {"file": newest, "error": error}
        ) from error
    return Export(content=content, filename=newest.name, source=str(newest))


def read_url(url: str, *, bearer_token: str = "") -> Export:
    if error := url_error(url):
        raise SourceError(error)
    parts = urllib.parse.urlsplit(url)
    _check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    request = urllib.request.Request(
        url,
        headers={
            "Accept": "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, */*"
        },
    )
    if bearer_token:
        request.add_header("Authorization", f"Bearer {bearer_token}")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            if response.headers.get_content_type() == "text/html":
                raise SourceError(_("The address answered with a web page, not a CSV or XLSX file."))
            content = _limited(response, _("The file at the address"))
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            reason = _("The address redirects elsewhere (HTTP %(code)d): give the final address.")
        else:
            reason = _("The address answered HTTP %(code)d %(reason)s.")
        raise SourceError(reason % {"code": error.code, "reason": error.reason}) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise SourceError(_("The address could not be reached (%(error)s).") % {"error": reason}) from error
    filename = Path(parts.path).name or "export.csv"
    return Export(content=content, filename=filename, source=url)
