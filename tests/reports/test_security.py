"""User text cannot make the PDF renderer fetch anything or embed foreign bytes."""

import threading
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.template.loader import render_to_string

from assessment.models import Answer
from reports import pdf, rendering
from reports.models import Report
from tests.assessment import personas

from .conftest import pdf_objects, pdf_text
from .personas import submitted_assessment

PASSWD_MARK = b"root:x:0:0"


@pytest.fixture
def canary():
    """A loopback HTTP server that records every request it gets."""
    body = f"CANARY-BODY-{uuid.uuid4().hex}".encode()
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "hits": hits, "body": body}
    server.shutdown()
    server.server_close()


TEMPLATES = [
    '<img src="{u}">',
    "<img src={u} alt=x>",
    '<link rel="stylesheet" href="{u}">',
    '<link rel="attachment" href="{u}">',
    '<object data="{u}"></object>',
    '<iframe src="{u}"></iframe>',
    '<embed src="{u}">',
    '<style>@import url("{u}");</style>',
    "<div style=\"background:url('{u}')\">x</div>",
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="{u}" width="9" height="9"/></svg>',
    '<svg><use href="{u}#a"/></svg>',
    '"><img src="{u}">',
    '<video poster="{u}"></video>',
    '<input type="image" src="{u}">',
    '<table background="{u}"><tr><td>t</td></tr></table>',
    "<style>@font-face{{font-family:x;src:url({u})}}p{{font-family:x}}</style>",
    '<a rel="attachment" href="{u}">pj</a>',
    '<base href="{u}/">',
]


def payloads(canary_url: str) -> list[str]:
    targets = [f"{canary_url}/p", "file:///etc/passwd", canary_url.replace("http:", "")]
    return [t.format(u=target) for t in TEMPLATES for target in targets]


def test_there_are_enough_hostile_payloads(canary):
    assert len(payloads(canary["url"])) >= 50


def assert_nothing_foreign(data: bytes, canary) -> None:
    assert data[:4] == b"%PDF"
    objects = pdf_objects(data)
    assert canary["hits"] == []
    assert canary["body"] not in objects
    assert PASSWD_MARK not in objects
    assert b"/EmbeddedFile" not in objects


def test_fetcher_refuses_network_and_local_files_even_in_raw_html(canary):
    # Autoescape is bypassed here on purpose: the fetcher alone must hold.
    html = "<html><body>" + "".join(payloads(canary["url"])) + "</body></html>"
    data = pdf.write(pdf.layout(html))
    assert_nothing_foreign(data, canary)
    urllib.request.urlopen(canary["url"] + "/alive").read()  # the canary did listen
    assert canary["hits"] == ["/alive"]


def test_fetcher_refuses_everything_but_static_and_data():
    fetcher = pdf.StaticOnlyFetcher()
    for url in [
        "http://127.0.0.1/",
        "https://example.org/x.png",
        "file:///etc/passwd",
        "ftp://example.org/x",
        pdf.BASE_URL + "static/../../etc/passwd",
        pdf.BASE_URL + "static/%2e%2e/%2e%2e/etc/passwd",
        pdf.BASE_URL + "media/reports/x.pdf",
        "https://caillou.invalid.example.org/static/css/caillou.css",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_fetcher_serves_project_static_files_and_data_urls():
    fetcher = pdf.StaticOnlyFetcher()
    css = fetcher.fetch(pdf.BASE_URL + "static/css/caillou.css")
    assert css.content_type == "text/css"
    assert b"Pico" in css.read()
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"


def test_user_text_is_escaped_in_the_template(submitted):
    assessment, _token = submitted
    assessment.company_name = '<img src="http://127.0.0.1:9/x">'
    report = Report(assessment=assessment, version=1)
    from reports import content

    html = render_to_string(rendering.TEMPLATE, content.build_context(report))
    assert '<img src="http://127.0.0.1:9/x">' not in html
    assert "&lt;img src=&quot;http://127.0.0.1:9/x&quot;&gt;" in html


@pytest.mark.django_db
def test_hostile_payloads_in_every_free_text_field_fetch_nothing(seeds, canary):
    hostile = payloads(canary["url"])
    fields = ("company_name", "respondent_name", "respondent_role", "activity")
    groups = [hostile[i : i + len(fields)] for i in range(0, len(hostile), 4)]
    stone_text = ""
    for payload in hostile:  # as many as the stone description holds
        if len(stone_text) + len(payload) < 2000:
            stone_text += payload
    for number, group in enumerate(groups):
        texts = dict(
            zip(fields, group + hostile[: len(fields) - len(group)], strict=True)
        )
        answers = personas.ACCOUNTING_FIRM["answers"] | {
            "company.activity": texts["activity"],
            "stone.description": stone_text,
        }
        assessment, _token = submitted_assessment(
            {**personas.ACCOUNTING_FIRM, "answers": answers},
            texts["company_name"],
            respondent_name=texts["respondent_name"],
            respondent_role=texts["respondent_role"],
        )
        assert Answer.objects.filter(assessment=assessment).count() > 10
        report = Report.objects.create(assessment=assessment, version=1)
        data, _pages = rendering.render_bytes(report)
        assert_nothing_foreign(data, canary)
        if number == 0:  # shown as text, not interpreted
            assert "<img" in pdf_text(data) or "&lt;" not in pdf_text(data)
