"""The entries of the identity registry, one module per chapter of :data:`CHAPTERS`.

Each module is named after its chapter's label (``ch-chain-rule`` -> ``chain_rule``) and registers
that chapter's identities with ``_add``. They are imported here in book order (the order of
:data:`CHAPTERS`), so the registry, and the reference tables rendered from it, list the identities
chapter by chapter, each chapter's in the order its module adds them. Each entry was verified
(autograd + central differences, random shapes) before it was entered.
"""

from importlib import import_module

from .._records import CHAPTERS


def module_name(label: str) -> str:
    """The entries module of a chapter label: ``"ch-chain-rule"`` -> ``"chain_rule"``."""
    return label.removeprefix("ch-").replace("-", "_")


for _label in CHAPTERS:
    import_module(f"{__name__}.{module_name(_label)}")
del _label
