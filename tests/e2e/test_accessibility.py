"""Accessibility, proved on every page: each role signs in and the test walks every page it can reach
from its home page, breadth first. On each page axe-core (npm, locked) checks WCAG 2.2 AA, and at
320 px wide the page must reflow (WCAG 1.4.10): no sideways scroll of the page itself; a wide table
may scroll inside its own box, which keyboard users can reach (tabindex=0) and which is named.

Pages are deduplicated by their address pattern (a CRN or an id becomes a placeholder), so a list of
a hundred cases sends the crawl to one case page, not a hundred: each template is checked, not each
row of the database.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.utils import timezone

from oms.demo.area import DEMO_PASSWORD, seed_area
from tests.e2e.conftest import CHROMIUM, SCREENSHOTS, screenshot, sign_in
from tests.factories import PASSWORD, World, ensure_reference_data

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 AA is the sum of these axe tags (each version's A and AA rules); axe's best practices
# (one main landmark, heading order, no empty table header) are held to as well.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
# The demo sign-ins that have a home page of their own (the superuser's is the Django admin).
ROLES = ["om", "pso", "spo", "caseadmin", "aco", "vlo", "interventions", "partner", "prison", "inspector"]
NARROW = 320  # WCAG 1.4.10: content reflows at 320 CSS pixels wide
DESKTOP = {"width": 1280, "height": 900}
# Pages of one address pattern visited, over all the roles: one (the same template with other
# rows). Each role's home page is always visited: it is each role's own.
PER_PATTERN = 1
# Keeps the whole crawl to a few minutes on a shared machine; the test fails if it is reached.
MAX_PAGES = 200
# Not pages: signing out, the Django admin (not ours), the API (JSON; its docs page is crawled),
# downloads and printable copies (PDF, CSV).
SKIP = re.compile(r"/accounts/logout/|^/admin/|^/api/(?!v1/docs)|\.(pdf|csv|json|png|svg)$|/export|/download")
# Pages reworked for reflow, saved at 320 px and at desktop width (artifacts/screenshots/).
SCREENSHOT_PAGES = {
    "/cases/": "caseload",
    "/cases/{id}/": "case",
    "/cases/{id}/person/": "case-person",
    "/tiering/allocation/{id}/": "allocate",
    "/performance/workforce/": "workforce",
    "/api/{id}/docs": "api-docs",
}
ID_SEGMENT = re.compile(r"^(?=.*\d)[\w.-]+$")

# One known exception, and only it: GOV.UK Frontend's conditional reveal sets aria-expanded on the
# radio that reveals a follow-up question. ARIA 1.2 does not list it for radios, but GOV.UK keeps it
# on purpose because screen readers announce it (govuk-frontend issue 979, a documented known issue).
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  const govukReveal = (v, n) => v.id === 'aria-allowed-attr' &&
    document.querySelector(n.target.join(' ')).matches('.govuk-radios__input[aria-controls]') &&
    n.all.concat(n.any, n.none).filter(c => c.id === 'aria-allowed-attr')
      .every(c => {
        const attributes = (c.data || {}).values || [];
        return attributes.length > 0 && attributes.every(a => a.startsWith('aria-expanded='));
      });
  return result.violations
    .map(v => ({...v, nodes: v.nodes.filter(n => !govukReveal(v, n))}))
    .filter(v => v.nodes.length)
    .map(v => ({
      rule: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
    }));
}"""

# What makes the page wider than the screen: the outermost elements sticking out that are not
# inside a box that scrolls on its own; and the boxes that scroll but a keyboard cannot reach.
REFLOW_CHECK = """async () => {
  // Resize observers (a table's scrolling box) run before the next frame is painted.
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const width = document.documentElement.clientWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const inScrollingBox = (el) => {
    // The page itself (html, whose overflow-y GOV.UK sets to scroll) is not a box of its own.
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) { if (scrolls(p)) return true; }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || inScrollingBox(el)) continue;
    if (el.parentElement && wide.some(w => w.contains(el))) continue;
    wide.push(el);
  }
  const unreachable = [...document.body.querySelectorAll('*')].filter(el =>
    scrolls(el) && el.scrollWidth > el.clientWidth + 1 &&
    !(el.tabIndex === 0 && (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'))));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    tooWide: wide.slice(0, 5).map(describe),
    unreachableScrollers: unreachable.slice(0, 5).map(describe),
  };
}"""


@dataclass
class Finding:
    role: str
    path: str
    problem: str

    def __str__(self) -> str:
        return f"{self.role} {self.path}: {self.problem}"


@dataclass
class Crawl:
    role: str
    pages: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def address_pattern(path: str) -> str:
    """/cases/X100001/risk/ and /cases/X100002/risk/ are one pattern: /cases/{id}/risk/."""
    return "/".join("{id}" if ID_SEGMENT.match(part) else part for part in path.split("/"))


def crawl_role(context: object, role: str, origin: str, visited: dict[str, int], budget: int) -> Crawl:
    """Sign in as the role and check every page reachable from its home page whose address pattern
    has been visited fewer than PER_PATTERN times (`visited`, shared by the roles)."""
    page = context.new_page()  # type: ignore[attr-defined]
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    sign_in(page, role, DEMO_PASSWORD)
    page.wait_for_url(f"{origin}/")
    crawl = Crawl(role)
    queue: deque[str] = deque(["/"])
    seen_urls: set[str] = {"/"}
    while queue:
        url = queue.popleft()
        path = urlsplit(url).path
        pattern = address_pattern(path)
        if url != "/" and visited.get(pattern, 0) >= PER_PATTERN:
            continue
        visited[pattern] = visited.get(pattern, 0) + 1
        if len(crawl.pages) >= budget:
            crawl.findings.append(Finding(role, url, f"more than {MAX_PAGES} pages: raise the bound"))
            break
        page.set_viewport_size(DESKTOP)
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        crawl.pages.append(url)
        if response.status >= 400:
            crawl.findings.append(Finding(role, url, f"answered {response.status}"))
            continue
        if urlsplit(page.url).path != path and urlsplit(page.url).path.startswith("/accounts/login"):
            crawl.findings.append(Finding(role, url, "sent to the sign-in page"))
            continue
        check_page(page, crawl, url)
        if pattern in SCREENSHOT_PAGES:
            screenshot(page, f"a11y-{SCREENSHOT_PAGES[pattern]}-320px")
            page.set_viewport_size(DESKTOP)
            screenshot(page, f"a11y-{SCREENSHOT_PAGES[pattern]}-desktop")
        for blocked_message in blocked:
            crawl.findings.append(Finding(role, url, f"blocked by the CSP: {blocked_message}"))
        blocked.clear()
        for link in page.eval_on_selector_all("a[href]:not([download])", "links => links.map(a => a.href)"):
            link = urldefrag(link).url
            if not link.startswith(origin + "/"):
                continue
            local = link[len(origin) :]
            if local in seen_urls or SKIP.search(urlsplit(local).path):
                continue
            seen_urls.add(local)
            queue.append(local)
    page.close()
    return crawl


def check_page(page: object, crawl: Crawl, url: str) -> None:
    if page.evaluate("typeof axe") == "undefined":  # type: ignore[attr-defined]
        page.evaluate(AXE.read_text())  # type: ignore[attr-defined]
    for violation in page.evaluate(AXE_RUN, WCAG_22_AA):  # type: ignore[attr-defined]
        where = "; ".join(violation["targets"])
        crawl.findings.append(
            Finding(crawl.role, url, f"axe {violation['rule']} ({violation['help']}) at {where}")
        )
    page.set_viewport_size({"width": NARROW, "height": 800})  # type: ignore[attr-defined]
    reflow = page.evaluate(REFLOW_CHECK)  # type: ignore[attr-defined]
    if reflow["scrollWidth"] > NARROW + 1:
        crawl.findings.append(
            Finding(
                crawl.role,
                url,
                f"scrolls sideways at {NARROW} px ({reflow['scrollWidth']} px wide): "
                + ", ".join(reflow["tooWide"]),
            )
        )
    if reflow["unreachableScrollers"]:
        crawl.findings.append(
            Finding(
                crawl.role,
                url,
                "a box scrolls sideways at 320 px but cannot be reached by keyboard or has no name: "
                + ", ".join(reflow["unreachableScrollers"]),
            )
        )


@pytest.fixture
def demo_area() -> None:
    ensure_reference_data()
    seed_area(cases=150, seed=7, area_name="Northamptonshire", as_of=timezone.localdate())


def test_every_page_each_role_reaches_meets_wcag_2_2_aa_and_reflows_at_320_px(
    browser, live_server, demo_area: None
) -> None:  # type: ignore[no-untyped-def]
    assert Path(CHROMIUM).exists() and AXE.exists(), "run `make setup`: axe-core comes from package-lock.json"
    findings: list[Finding] = []
    crawled = 0
    visited: dict[str, int] = {}
    checked: list[str] = []
    for role in ROLES:
        context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
        crawl = crawl_role(context, role, live_server.url, visited, MAX_PAGES - crawled)
        context.close()
        crawled += len(crawl.pages)
        findings.extend(crawl.findings)
        checked += [f"{role} {url}" for url in crawl.pages]
    # Which pages were checked, for a person reading the run (artifacts/ is ignored by git).
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS.parent / "accessibility-pages.txt").write_text("\n".join(checked) + "\n")
    assert crawled > 100, f"only {crawled} pages crawled"
    assert not findings, f"{len(findings)} problems on {crawled} pages:\n" + "\n".join(map(str, findings))


# The main forms: (who, page); the page's own form is its last POST form in main. Each field and the
# submit button must be reached by Tab, in turn, and show where the focus is.
MAIN_FORMS = [
    ("caseadmin", "/cases/register/"),
    ("om", "/supervision/cases/{own}/contacts/new/"),
    ("om", "/supervision/cases/{own}/appointments/new/"),
    ("om", "/cases/{own}/personal-details/"),
    ("caseadmin", "/cases/{own}/events/new/"),
]

# Every control of the page's last form in main (the page's own form, after any filter or banner)
# that a person fills in, and the control focused now with whether its focus can be seen.
FORM_CONTROLS = """() => {
  const form = [...document.querySelectorAll('main form')].filter(f => f.method === 'post').pop();
  const shown = el => el.type !== 'hidden' && !el.disabled && el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== 'hidden';
  const controls = [...form.querySelectorAll('input, select, textarea, button[type=submit]')]
    .filter(el => shown(el) || (['radio', 'checkbox'].includes(el.type) && shown(el.labels[0])));
  // One stop a group of radios: Tab reaches the group, arrow keys move within it.
  const stops = controls.filter(el => el.type !== 'radio' || el === (form.querySelector(`input[name="${el.name}"]:checked`) ||
    form.querySelector(`input[name="${el.name}"]`)));
  return stops.map(el => el.id || el.name || el.textContent.trim());
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  // GOV.UK draws a radio's or checkbox's focus on its label.
  const ring = ['radio', 'checkbox'].includes(el.type) ? getComputedStyle(el.labels[0], '::before') : style;
  const visible = ring.outlineStyle !== 'none' && ring.outlineWidth !== '0px' || ring.boxShadow !== 'none';
  return {name: el.id || el.name || el.textContent.trim(), visible};
}"""


@pytest.mark.parametrize("who, address", MAIN_FORMS)
def test_tab_reaches_every_field_of_the_main_forms_in_turn_with_the_focus_shown(
    page, world: World, who: str, address: str
) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, who, PASSWORD)
    page.goto(address.format(own=world.cases["own"].crn))
    expected = page.evaluate(FORM_CONTROLS)
    assert len(expected) >= 2, expected
    reached: list[str] = []
    unseen: list[str] = []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        # A time input's hours and minutes are two stops within one field.
        if focused["name"] in expected and (not reached or reached[-1] != focused["name"]):
            reached.append(focused["name"])
            if not focused["visible"]:
                unseen.append(focused["name"])
        if reached and reached[-1] == expected[-1]:
            break
    assert reached == expected, f"Tab order {reached}, fields {expected}"
    assert not unseen, f"focus not visible on {unseen}"
