"""PDF reports: readable text, tagged for screen readers, and no fetching on a report's behalf."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.template import engines

from safeharbor.core.pdf import pdf_response, render_pdf


@pytest.fixture
def report_template(tmp_path, settings):
    folder = tmp_path / "templates"
    (folder / "reports_test").mkdir(parents=True)
    (folder / "reports_test" / "sample.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}'
        "<h2>Proceeds</h2><table><caption>By program</caption>"
        "<thead><tr><th scope=col>Program</th><th scope=col class=num>Amount</th></tr></thead>"
        "<tbody>{% for row in rows %}"
        "<tr><td>{{ row.0 }}</td><td class=num>{{ row.1 }}</td></tr>"
        "{% endfor %}</tbody>"
        "</table>{{ extra|default:'' }}{% endblock %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0].get("DIRS", [])]}
    ]
    engines._engines = {}  # the engine is rebuilt with the new directory
    yield "reports_test/sample.html"
    engines._engines = {}


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_report_text_and_title_are_in_the_pdf(report_template):
    pdf = render_pdf(
        report_template,
        {"title": "Use of proceeds 2011", "rows": [("Housing pilot", "7,500.00")]},
    )
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Use of proceeds 2011"
    text = _text(pdf)
    assert "Use of proceeds 2011" in text
    assert "Housing pilot" in text and "7,500.00" in text
    # Tagged (PDF/UA) so assistive technology can read the structure.
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_markup_in_data_is_printed_as_text(report_template):
    pdf = render_pdf(report_template, {"title": "T", "rows": [("<b>Bold</b> & co", "1")]})
    assert "<b>Bold</b> & co" in _text(pdf)


def test_a_report_cannot_make_the_server_fetch_files_or_addresses(report_template, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do-not-leak", encoding="utf-8")
    from django.utils.safestring import mark_safe

    # The markup is the test's own, trusted as a template would be, to prove the fetcher's limits.
    hostile = mark_safe(  # noqa: S308
        f'<img src="file://{secret}" alt="x"><img src="http://127.0.0.1:9/x.png" alt="y">'
        f'<link rel="attachment" href="file://{secret}">'
    )
    pdf = render_pdf(report_template, {"title": "T", "rows": [], "extra": hostile})
    assert b"do-not-leak" not in pdf
    assert "do-not-leak" not in _text(pdf)


def test_download_response_is_a_private_pdf_attachment(report_template):
    response = pdf_response(
        report_template, {"title": "T", "rows": []}, filename='fund "statement"/2011'
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and disposition.endswith('.pdf"')
    assert "/" not in disposition.split("filename=")[1].strip('"')
    assert response.content.startswith(b"%PDF-")


def test_without_pango_the_download_says_what_is_missing(report_template, monkeypatch):
    from safeharbor.core import pdf

    def missing() -> None:
        raise pdf.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "_weasyprint", missing)
    response = pdf.pdf_response(report_template, {"title": "T", "rows": []}, filename="x")
    assert response.status_code == 503
    assert "Pango" in response.content.decode()
