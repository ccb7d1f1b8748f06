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
        from html import escape

        found = self._glossary.search(query)
        if not query.strip():
            return "<p>Type part of a term or a word from its definition.</p>"
        if not found:
            return f"<p>No entry for '{escape(query)}'. Try a shorter word.</p>"
        items = "".join(f"<dt><strong>{escape(r['term'])}</strong> (notebook {r['first_notebook']:02d})</dt>"
                        f"<dd>{escape(r['definition'])}</dd>" for r in found[:8])
        more = f"<p>... and {len(found) - 8} more.</p>" if len(found) > 8 else ""
        return f"<p>{len(found)} entr{'y' if len(found) == 1 else 'ies'}:</p><dl>{items}</dl>{more}"

    def _on_change(self, _change) -> None:
        self.results.value = self.render(self.box.value)

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = ("[Glossary search] The full glossary is in docs/glossary.md "
                                f"({len(self._glossary.terms())} terms).")
        return bundle


def glossary_search(query: str = "block") -> GlossarySearch:
    """Search the course glossary (data/glossary.csv)."""
    return GlossarySearch(query)
