"""Pure statistics for CX Lens (METHODS.md): numpy/scipy/statsmodels/lifelines only.

Every procedure is one function that checks its inputs with ``ValueError`` and returns a small
frozen result (``Estimate``, ``TestResult`` or a module-specific dataclass). Submodules are not
re-exported here so that importing ``cx.stats.nps`` does not pay for lifelines or statsmodels.
"""
