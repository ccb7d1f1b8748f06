"""Interactive demos: widgets wired to figures that redraw in place.

One module per concept, beside the concept module it draws:

- :mod:`.base`: figure set-up, :class:`Blitter`, :class:`Demo`, controls;
- :mod:`.pk`: half-life warm-up (00), plasma curves and the esketamine spray (04);
- :mod:`.history`: the timeline (01);
- :mod:`.receptor`: coincidence detection, Mg2+ block, occupancy, trapping (02);
- :mod:`.plasticity`: disinhibition and spines (03);
- :mod:`.onset`: onset comparison and a course against one infusion (05);
- :mod:`.safety`: evidence by condition and adverse effects (06);
- :mod:`.appraisal`: forest plots and the blinding model (07);
- :mod:`.glossary`: the glossary search box;
- :mod:`.framestore`: figures drawn in advance, shared read-only by the kernels of a class hub.

The science lives in the concept modules; these modules only wire widgets to
artists. A notebook calls a demo in one line, e.g. ``demos.mg_block()``.
"""

from .appraisal import blinding, forest_plot
from .base import (CSS_PX_PER_INCH, DPI, FIGSIZE, PIXEL_DENSITY, RECIPE_MIME, Blitter, CourseImage, Demo, Description,
                   YScale, new_figure, render_png, slider)
from .glossary import GlossarySearch, glossary_search
from .history import timeline
from .onset import ONSET_MEASURES, ONSET_TREATMENTS, course_vs_single, onset_comparison
from .pk import INDUCTION_DOSE_MG_PER_KG, PK_MODELS, PK_ROUTES, esketamine_spray, half_life, plasma_curve
from .plasticity import disinhibition, spines
from .receptor import BLOCK_DEMO_UM, coincidence, mg_block, occupancy, trapping_block
from .safety import adverse_effects, evidence_explorer


def _recorded(function):
    """``function``, whose Demo remembers the call that built it (``Demo.recipe``).

    The recipe travels in the demo's display bundle (``RECIPE_MIME``), so the
    static site can rebuild the same demo at build time and draw its states.
    """
    import functools
    import inspect
    import json

    signature = inspect.signature(function)

    @functools.wraps(function)
    def build(*args, **kwargs):
        demo = function(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = json.loads(json.dumps(dict(bound.arguments), default=list))
        demo.recipe = {"demo": function.__name__, "arguments": arguments}
        return demo

    return build


def _record_every_demo() -> None:
    """Wrap every public demo function of this package (annotated ``-> Demo``) with :func:`_recorded`."""
    import inspect

    for name, value in list(globals().items()):
        if (inspect.isfunction(value) and not name.startswith("_") and value.__module__.startswith(__name__ + ".")
                and inspect.signature(value).return_annotation in ("Demo", Demo)):
            globals()[name] = _recorded(value)


_record_every_demo()

__all__ = [
    "DPI", "FIGSIZE", "CSS_PX_PER_INCH", "PIXEL_DENSITY", "RECIPE_MIME", "registry", "Blitter", "CourseImage",
    "Demo", "Description", "YScale", "new_figure", "render_png", "slider",
    "half_life", "timeline", "coincidence", "mg_block", "occupancy", "trapping_block", "BLOCK_DEMO_UM",
    "disinhibition", "spines", "plasma_curve", "esketamine_spray", "PK_ROUTES", "PK_MODELS",
    "INDUCTION_DOSE_MG_PER_KG", "onset_comparison", "course_vs_single", "ONSET_TREATMENTS",
    "ONSET_MEASURES", "evidence_explorer", "adverse_effects", "GlossarySearch", "glossary_search",
    "forest_plot", "blinding",
]


def registry() -> dict:
    """Every demo function of the package, by name: those annotated to return a :class:`Demo`.

    What the figure checks, the benchmarks and the layout tests iterate over,
    so a new demo is checked as soon as it is exported here.
    """
    import inspect

    found = {}
    for name in __all__:
        obj = globals()[name]
        if inspect.isfunction(obj) and inspect.signature(obj).return_annotation in ("Demo", Demo):
            found[name] = obj
    return found
