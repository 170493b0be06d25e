"""PDF reports rendered on the server with WeasyPrint.

Every area's PDF goes through ``render_pdf`` or ``pdf_response``: a Django template (extending
``pdf/base.html``) is rendered to HTML and laid out by WeasyPrint as a tagged PDF (PDF/UA-1),
so screen readers can follow headings and tables. Charts are the same inline SVG the pages
show.

Rendering never reaches the network or the file system on behalf of a template: the URL
fetcher only serves ``data:`` URLs and the platform's own static files, so a value that ends
up in a report cannot make the server fetch an address or read a local file.
"""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .csv_export import safe_filename

__all__ = ["PdfFetchRefused", "PdfUnavailable", "pdf_response", "render_pdf"]

PDF_VARIANT = "pdf/ua-1"


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run here: the system's Pango library is missing."""


class PdfFetchRefused(ValueError):
    """A report asked for a resource outside the platform's own static files."""


def _static_path(url: str) -> str | None:
    """The file behind a URL of the platform's own static files, or None."""
    path = urlsplit(url).path
    prefix = settings.STATIC_URL
    if not prefix.startswith("/"):
        prefix = "/" + prefix
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix) :]
    if not relative or ".." in relative.split("/"):
        return None
    found = finders.find(relative)
    return found if isinstance(found, str) else None


def _fetcher() -> Any:
    """WeasyPrint's URL fetcher, limited to data: URLs and our own static files."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            found = _static_path(url)
            if found is None:
                raise PdfFetchRefused(f"A PDF report may not load {url!r}.")
            with open(found, "rb") as handle:
                body = handle.read()
            mime_type, _encoding = mimetypes.guess_type(found)
            content_type = mime_type or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher(allowed_protocols={"data", "http", "https", "file"})


def _weasyprint() -> Any:
    try:
        import weasyprint
    except OSError as error:  # the shared libraries (Pango) are not installed
        raise PdfUnavailable(str(error)) from error
    return weasyprint


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The PDF for a template; the context also gets ``generated_at`` (now, local time)."""
    HTML = _weasyprint().HTML

    full_context = {"generated_at": timezone.localtime(), **context}
    html = render_to_string(template_name, full_context)
    document = HTML(string=html, base_url="http://safeharbor.invalid/", url_fetcher=_fetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def pdf_response(template_name: str, context: dict[str, Any], *, filename: str) -> HttpResponse:
    """A download of the PDF, never cached (reports hold program data).

    Where the system lacks the libraries WeasyPrint needs, the answer is a 503 that says so
    (the on-screen and CSV versions of every report still work).
    """
    try:
        body = render_pdf(template_name, context)
    except PdfUnavailable:
        message = _(
            "PDF downloads are not available on this server yet: its administrator needs to "
            "install the Pango text library. The page and its CSV download still work."
        )
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    name = safe_filename(filename.removesuffix(".pdf"), default="report").removesuffix(".csv")
    name = f"{name}.pdf"
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
