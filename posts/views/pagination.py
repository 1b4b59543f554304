"""Numbered pages for post lists: /, /page/2/, /tags/<slug>/, /tags/<slug>/page/2/.

Page 1 lives at the list's own address (its /page/1/ answers with a 301 there), and any other way
of writing a number (/page/02/) answers with a 301 to its one address; page 0 or a page past the
end is a 404. `page_links()` turns a page into the links the template shows, eliding long
runs of page numbers ("1 … 7 8 9 … 21").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404
from django.shortcuts import redirect


class StoredCountPaginator(Paginator):
    """A paginator for a list whose count is stored: `page()` reads the page's objects first, each
    annotated with the stored count (`count_field`; None when it is out of date), and counts with
    `recount()` only when the page is empty or the stored count is out of date. While the count is
    current, a page takes one query."""

    def __init__(self, object_list, per_page, *, count_field, recount, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if self.orphans:
            raise ValueError("A page is read before the count: there can be no orphans.")
        self.count_field, self.recount = count_field, recount

    def page(self, number: int):
        bottom = (max(number, 1) - 1) * self.per_page
        top = bottom + self.per_page
        # Past what a database's OFFSET takes (a signed 64-bit number) there is no page to read.
        objects = list(self.object_list[bottom:top]) if top < 2**63 else []
        stored = getattr(objects[0], self.count_field) if objects else None
        self.count = stored if stored is not None else self.recount()  # the cached_property
        return self._get_page(objects, self.validate_number(number), self)


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None for an elided run ("…")
    url: str = ""
    current: bool = False
    label: str = ""  # the number as text: printed as it is, not localized on every page view

    @property
    def is_gap(self):
        return self.number is None


def page_links(
    page: Page, url_for: Callable[[int], str], on_each_side: int = 1, on_ends: int = 1
) -> list[PageLink]:
    """The page numbers around `page` (with gaps for elided runs), each with its address. One
    number each side of the current page by default: at most 7 items, one row on a 390 px phone
    (two each side wrapped there, measured in Chromium: tests/e2e/test_search_pagination.py)."""
    links = []
    for number in page.paginator.get_elided_page_range(
        page.number, on_each_side=on_each_side, on_ends=on_ends
    ):
        if not isinstance(number, int):  # Paginator.ELLIPSIS (comparing with it translates it)
            links.append(PageLink(None))
        else:
            links.append(PageLink(number, url_for(number), number == page.number, str(number)))
    return links


def pagination_context(page: Page, url_for: Callable[[int], str]) -> dict:
    """What `partials/_pagination.html` prints for `page`: its page links and the addresses of
    the pages before and after it ("" at either end)."""
    return {
        "page_links": page_links(page, url_for),
        "newer_url": url_for(page.number - 1) if page.has_previous() else "",
        "older_url": url_for(page.number + 1) if page.has_next() else "",
    }


class NumberedPagesMixin:
    """For a ListView: the page number comes from the URL path only, never from ?page=.

    Subclasses say where page n lives with `page_url(n)`.
    """

    paginate_by = 10

    def page_url(self, number: int) -> str:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        number = kwargs.get("page")
        if number is not None and (number == 1 or request.path != self.page_url(number)):
            return redirect(self.page_url(number), permanent=True)
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        number = self.kwargs.get("page", 1)
        try:
            page = paginator.page(number)
        except InvalidPage as error:
            raise Http404(f"There is no page {number}.") from error
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(pagination_context(context["page_obj"], self.page_url))
        return context
