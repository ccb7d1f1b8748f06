"""Ketamine Therapy, Explained: the tested code behind the course notebooks.

Submodules are imported on demand (``from ketamine_course import style``), so
``import ketamine_course`` stays fast and pulls in neither matplotlib nor
ipywidgets.

This package is for education. It gives no dosing recommendation and is not
medical advice.
"""

__version__ = "0.1.0"

DISCLAIMER = (
    "This course is for education only. It is not medical advice, it gives no "
    "dosing recommendation, and it cannot tell you whether a treatment suits "
    "you. Talk to a qualified clinician about any treatment decision."
)

__all__ = ["DISCLAIMER", "__version__"]
