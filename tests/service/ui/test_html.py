"""Every page of the web catalogue is well-formed HTML (html5lib's strict WHATWG parser), links only to
pages that answer, needs no JavaScript nor anything from another host, and labels its form fields."""

from __future__ import annotations

from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree.ElementTree import Element

import html5lib
import httpx
import pytest

from .conftest import UiService

NS = "{http://www.w3.org/1999/xhtml}"
START = ("/ui/", "/ui/can-i-deploy?provider=reco-service&version=build-42&contract=recommendation-api%401.1.0")


def _parse_strict(text: str, url: str) -> Element:
    try:
        tree: Element = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(text)
        return tree
    except html5lib.html5parser.ParseError as exc:
        pytest.fail(f"{url}: broken markup: {exc}")


def _crawl(base: str) -> tuple[dict[str, Element], set[str]]:
    """Every /ui/ page reachable from the start pages (parsed), and every other same-site link found."""
    pages: dict[str, Element] = {}
    others: set[str] = set()
    queue = deque(base + s for s in START)
    with httpx.Client(timeout=30) as client:
        while queue and len(pages) < 200:
            url = queue.popleft()
            if url in pages:
                continue
            response = client.get(url, follow_redirects=True)
            assert response.status_code == 200, f"{url} answered {response.status_code}"
            assert response.headers["content-type"].startswith("text/html")
            tree = _parse_strict(response.text, url)
            pages[url] = tree
            for element in tree.iter():
                for attribute in ("href", "src", "action"):
                    target = element.get(attribute)
                    if target is None:
                        continue
                    absolute, _ = urldefrag(urljoin(url, target))
                    assert urlsplit(absolute).netloc == urlsplit(base).netloc, f"{url} loads {target} from elsewhere"
                    if urlsplit(absolute).path.startswith("/ui/") and not absolute.endswith(".css"):
                        if element.tag != f"{NS}form":
                            queue.append(absolute)
                    else:
                        others.add(absolute)
    return pages, others


@pytest.fixture(scope="module")
def crawled(ui_service: UiService) -> tuple[dict[str, Element], set[str]]:
    return _crawl(ui_service.url)


def test_every_page_parses_strictly_and_every_link_answers(crawled: tuple[dict[str, Element], set[str]]) -> None:
    pages, others = crawled
    kinds = {urlsplit(u).path.split("/")[2] or "catalogue" for u in pages}
    assert {"catalogue", "contracts", "verifications", "can-i-deploy"} <= kinds
    assert any("/changelog" in u for u in pages) and any(u.rsplit("/", 1)[-1].isdigit() for u in pages)
    assert any(u.endswith("/__mock/docs") for u in others)  # the hosted mock's docs
    with httpx.Client(timeout=30) as client:
        for url in sorted(others):
            response = client.get(url, follow_redirects=True)
            assert response.status_code < 400, f"dead link {url}: {response.status_code}"


def test_fragment_links_point_at_ids_and_ids_are_unique(crawled: tuple[dict[str, Element], set[str]]) -> None:
    pages, _ = crawled
    for url, tree in pages.items():
        ids = [e.get("id") for e in tree.iter() if e.get("id")]
        assert len(ids) == len(set(ids)), f"{url}: duplicate ids"
        for a in tree.iter(f"{NS}a"):
            href = a.get("href", "")
            if href.startswith("#"):
                assert href[1:] in ids, f"{url}: link to missing #{href[1:]}"


def test_pages_need_no_script_and_label_every_field(crawled: tuple[dict[str, Element], set[str]]) -> None:
    pages, _ = crawled
    for url, tree in pages.items():
        assert not list(tree.iter(f"{NS}script")), f"{url} has a script"
        html = next(tree.iter(f"{NS}html"))
        assert html.get("lang") == "en"
        assert len(list(tree.iter(f"{NS}h1"))) == 1, f"{url}: one h1 per page"
        labelled = {label.get("for") for label in tree.iter(f"{NS}label")}
        for tag in ("input", "select"):
            for field in tree.iter(f"{NS}{tag}"):
                assert field.get("id") in labelled, f"{url}: <{tag} name={field.get('name')}> has no label"


def test_an_unknown_page_is_html_with_the_api_status(ui_service: UiService) -> None:
    for path, status in (
        ("/ui/contracts/recommendation-api/9.9.9", 404),
        ("/ui/contracts/recommendation-api/not-a-version", 422),
        ("/ui/verifications/999999", 404),
        ("/ui/contracts/recommendation-api/changelog?from=1.0.0&to=7.0.0", 404),
        ("/ui/can-i-deploy?provider=a&version=b&contract=nope", 404),
        ("/ui/can-i-deploy?provider=a&version=b&contract=Bad+Ref", 422),
    ):
        response = httpx.get(ui_service.url + path, timeout=30)
        assert response.status_code == status, (path, response.status_code)
        assert response.headers["content-type"].startswith("text/html")
        _parse_strict(response.text, path)
    listed = httpx.get(ui_service.url + "/ui/contracts/recommendation-api/9.9.9", timeout=30).text
    assert "1.1.0" in listed and "2.0.0" in listed  # what exists
