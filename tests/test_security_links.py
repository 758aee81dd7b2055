"""Links a visitor is sent: Voila's own parameters cannot inject script or switch template.

Issue 19, findings 1 and 2: ``?theme=`` was written unescaped into the page (and by
Voila's lab template, reachable with ``?template=lab``). A browser opens crafted links
to the explorer and the kiosk and must run none of their script; the page allows no
inline script at all (Content-Security-Policy), and the dashboards still draw under it.
"""

import re
from urllib.parse import quote

import pytest

from scoda_map._testing.attack import VISITOR, page_kernel, request
from scoda_map._testing.browser import open_dashboard
from scoda_map._testing.sessions import close_tab

PAYLOAD = '"><script>window.__scodaPwned=1;alert("pwned")</script><b x="'
CRAFTED = [f"?theme={quote(PAYLOAD)}", f"?template=lab&theme={quote(PAYLOAD)}",
           f"?lang=zh&theme={quote(PAYLOAD)}&feature={quote(PAYLOAD)}"]
#: Recorded before any page script runs: dialogs and CSP refusals.
WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


def executable_inline_scripts(body: str) -> list[str]:
    """<script> tags that a browser would run and that carry their code inline."""
    tags = re.findall(r"<script\b([^>]*)>(.*?)</script>", body, re.S | re.I)
    return [attrs + code[:80] for attrs, code in tags
            if "src=" not in attrs and not re.search(r'type="application/(json|vnd\.[^"]+)"', attrs)]


@pytest.mark.parametrize("link", CRAFTED + ["?template=does-not-exist", "?template=reveal"])
def test_voilas_link_parameters_neither_reflect_nor_switch_the_template(explorer_url, link):
    status, headers, body = request(explorer_url, link, source=VISITOR)
    try:
        assert status == 200
        assert "__scodaPwned" not in body and 'alert("pwned")' not in body
        assert "scoda-page.js" in body  # the product's template, whatever the link says
        assert not re.search(r"https?://(?!127\.0\.0\.1|localhost)", " ".join(re.findall(r'(?:src|href)="([^"]+)"', body)))
        assert "cdnjs" not in body and "unpkg" not in body and "jsdelivr" not in body
        assert executable_inline_scripts(body) == []
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "'unsafe-inline'" not in headers["content-security-policy"].split("script-src")[1].split(";")[0]
    finally:
        if page_kernel(body):
            close_tab(explorer_url, page_kernel(body))


def watched(page):
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(WATCH)
    return page


@pytest.mark.browser
@pytest.mark.parametrize("link", CRAFTED[:2])
def test_a_crafted_link_runs_no_script_in_the_explorer(page, explorer_url, link):
    watched(page)
    open_dashboard(page, explorer_url + link)
    page.locator(".scoda-map").first.wait_for()  # the dashboard drew (the measure list sits in a pane)
    assert page.dialogs == []
    assert page.evaluate("window.__scodaPwned") is None
    # The dashboard drew with every script it needs allowed: nothing of ours was refused.
    assert page.evaluate("window.__cspViolations") == []
    assert page.outside == []


@pytest.mark.browser
def test_a_crafted_link_runs_no_script_in_the_kiosk(page, kiosk_server):
    watched(page)
    open_dashboard(page, kiosk_server + CRAFTED[1])
    assert page.dialogs == []
    assert page.evaluate("window.__scodaPwned") is None
    assert page.evaluate("window.__cspViolations") == []
    assert page.outside == []


@pytest.mark.browser
def test_the_page_refuses_inline_script_even_if_some_got_in(page, explorer_url):
    """The Content-Security-Policy itself: an inline script added to the page does not run."""
    watched(page)
    open_dashboard(page, explorer_url)
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.__scodaPwned = 1'; document.body.appendChild(s); }""")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__scodaPwned") is None
