"""The glossary search box (every notebook)."""

from __future__ import annotations

import ipywidgets as widgets


class GlossarySearch(widgets.VBox):
    """A search box over the course glossary; shows matching terms with definitions."""

    def __init__(self, query: str = "block"):
        from .. import glossary

        self._glossary = glossary
        self.box = widgets.Text(value=query, placeholder="type a term, e.g. half-life",
                                description="search", continuous_update=True)
        self.results = widgets.HTML()
        self.box.observe(self._on_change, names="value")
        super().__init__([self.box, self.results])
        self._on_change(None)

    def render(self, query: str) -> str:
        return results_html(query, self._glossary.search(query))

    def _on_change(self, _change) -> None:
        self.results.value = self.render(self.box.value)

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = ("[Glossary search] The full glossary is in docs/glossary.md "
                                f"({len(self._glossary.terms())} terms).")
        return bundle


def results_html(query: str, found: list[dict], link=None) -> str:
    """The search results for ``query`` as HTML: at most 8 entries, then how many more.

    ``link(row)``, if given, is the URL of a term's entry (the static site links
    each term to its glossary page).
    """
    from html import escape

    if not query.strip():
        return "<p>Type part of a term or a word from its definition.</p>"
    if not found:
        return f"<p>No entry for '{escape(query)}'. Try a shorter word.</p>"

    def term(r):
        name = f"<strong>{escape(r['term'])}</strong>"
        return f'<a href="{escape(link(r))}">{name}</a>' if link else name

    items = "".join(f"<dt>{term(r)} (notebook {r['first_notebook']:02d})</dt>"
                    f"<dd>{escape(r['definition'])}</dd>" for r in found[:8])
    more = f"<p>... and {len(found) - 8} more.</p>" if len(found) > 8 else ""
    return f"<p>{len(found)} entr{'y' if len(found) == 1 else 'ies'}:</p><dl>{items}</dl>{more}"


def glossary_search(query: str = "block") -> GlossarySearch:
    """Search the course glossary (data/glossary.csv)."""
    return GlossarySearch(query)
