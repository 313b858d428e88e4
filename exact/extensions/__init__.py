"""Extensions of the two-layer theory (``math/convex_duality.md`` §9).

* :mod:`exact.extensions.vector`: vector-valued outputs (``c`` outputs), §9.2;
* :mod:`exact.extensions.parallel3`: parallel three-layer networks, §9.3, through the
  cone-constrained group lasso of §9.1 (:mod:`exact.extensions.group_lasso`).

Each module mirrors the scalar API names: ``optimal_set``, ``optimal_polytope``,
``critical_widths``, ``optimal_set_components``, ``staircase`` (and ``stationary_points`` where
it applies).
"""

from . import parallel3, vector

__all__ = ["vector", "parallel3"]
