r"""Plots of region censuses: the fraction of benign regions against the width (matplotlib).

Each curve is a list of :meth:`exact.region_census.CensusResult.as_dict` rows (one per width)
with an optional exact theory curve (``(m, fraction)`` pairs: the inclusion–exclusion fraction of
:func:`exact.region_census.containment_fraction`, Prop 3.3 for orthogonal data), the exact
crossing width :math:`m_\varepsilon` and the sufficiency scale :math:`N_{\rm act}\log(k/\varepsilon)`
drawn as vertical lines (:func:`exact.region_census.theory_curve` computes all three). Display only.
"""

import importlib

__all__ = ["plot_width_curves"]


def plot_width_curves(curves, path, *, eps=None, title=None):
    r"""Draw census curves into ``path`` (PNG, SVG, ... by extension); return the path.

    Parameters
    ----------
    curves : sequence of dict
        Each ``{"label": str, "rows": [as_dict rows], "theory": [(m, fraction)], "crossing": m,
        "scale": m}``; ``theory``, ``crossing`` and ``scale`` may be omitted.
    path : str or os.PathLike
    eps : rational, optional
        Draw the level :math:`1-\varepsilon`.
    title : str, optional

    Raises
    ------
    ModuleNotFoundError
        Without matplotlib (the ``plots`` extra), with a message saying how to install it.
    """
    try:
        matplotlib = importlib.import_module("matplotlib")
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError("plots need matplotlib; install the plots extra: pip install 'reluscape[plots]'") from err
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for c, curve in zip(colors * 4, curves):
        rows = sorted(curve["rows"], key=lambda r: r["m"])
        ms = [r["m"] for r in rows]
        for ax, key, style in ((axes[0], "contains_global", "o"), (axes[1], "true_spurious", "s"), (axes[1], "cone_spurious", "^")):
            mid = [_f(r["fractions"][key]) for r in rows]
            lo = [mid[i] - _f(r["intervals"][key][0]) for i, r in enumerate(rows)]
            hi = [_f(r["intervals"][key][1]) - mid[i] for i, r in enumerate(rows)]
            tag = {"contains_global": "", "true_spurious": " true spurious", "cone_spurious": " cone spurious"}[key]
            ax.errorbar(ms, mid, yerr=[lo, hi], fmt=style, color=c, ms=4, capsize=2, label=curve["label"] + tag,
                        mfc="none" if key == "cone_spurious" else c)
        theory = curve.get("theory")
        if theory:
            axes[0].plot([m for m, _ in theory], [_f(v) for _, v in theory], "-", color=c, lw=1, alpha=0.7,
                         label=curve["label"] + " exact (incl.-excl.)")
        if curve.get("crossing"):
            axes[0].axvline(curve["crossing"], color=c, ls="-.", lw=1, label=curve["label"] + r" exact $m_\epsilon$")
        if curve.get("scale"):
            axes[0].axvline(curve["scale"], color=c, ls=":", lw=1, label=curve["label"] + r" $N_{act}\log(k/\epsilon)$")
    if eps is not None:
        axes[0].axhline(1 - _f(eps), color="gray", ls="--", lw=0.8, label=r"$1-\epsilon$")
    for ax, ylabel in ((axes[0], "fraction of regions containing a global minimum"), (axes[1], "fraction with spurious minima")):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("width m")
        ax.set_ylabel(ylabel)
        ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


def _f(v):
    """A display float of a ``"p/q"`` string or a rational."""
    if isinstance(v, str):
        num, _, den = v.partition("/")
        return int(num) / int(den or 1)
    return float(v)
