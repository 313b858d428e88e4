# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Activation patterns are the regions of the data's hyperplane arrangement
#
# For data $X\in\mathbb Q^{n\times d}$ with rows $x_k$, the activation patterns of a ReLU
# neuron $h\mapsto(Xh)_+$ are the sign vectors $s_k=\operatorname{sign}(x_k^\top h)$ of the
# regions of the arrangement $\{h : x_k^\top h = 0\}$ (Pilanci–Ergen 2020;
# `math/convex_duality.md` §2).
#
# **Cover (1965), Zaslavsky (1975).** If any $\min(n, r)$ rows are independent
# ($r=\operatorname{rank}X$), then $P = 2\sum_{k<r}\binom{n-1}{k}$; in general
# $P=\sum_F|\mu(\hat 0,F)|$ over the lattice of flats.
#
# reluscape lists every region exactly, with an integer witness $h$ per region, by three
# independent methods, and counts them without listing.

# %% tags=["parameters"]
n, d, seed = 10, 3, 0

# %%
import random
from math import comb

from exact import count_patterns, cover_count, enumerate_patterns, is_in_general_position
from exact.checker import check_certificate
from exact.numeric.sampling import sampling_coverage

rng = random.Random(seed)
X = [[rng.randint(-20, 20) for _ in range(d)] for _ in range(n)]
assert is_in_general_position(X)  # the hypothesis of Cover's theorem, checked exactly

pats = enumerate_patterns(X)
P = len(pats)
print(f"n = {n}, d = {d}: P = {P}, Cover's count = {2 * sum(comb(n - 1, k) for k in range(d))}")

# %% [markdown]
# Every witness is re-checked by the trusted checker (standard library only), which also
# re-derives completeness: general position by minors and Cover's count.

# %%
result = check_certificate(pats.certificate())
print(result.checks)

# %% [markdown]
# Degenerate data: parallel rows share a hyperplane, points in special position merge
# vertices. The three enumeration methods still agree, and the count is Zaslavsky's.

# %%
Y = [[1, 0], [2, 0], [0, 1], [1, 1], [-1, -1], [1, -1], [0, 0]]
by_method = {m: enumerate_patterns(Y, method=m) for m in ("sweep", "deletion_restriction", "brute_force")}
print({m: len(p) for m, p in by_method.items()}, count_patterns(Y, method="zaslavsky"))

# %% [markdown]
# A picture of a $d=2$ arrangement: the lines $x_k^\perp$ and one witness per region,
# labelled by its active set. Sampling 500 Gaussian directions, as practitioners do, finds
# only part of a larger arrangement.

# %%
Z = [[1, 0], [0, 1], [1, 1], [1, -2], [3, 1]]
two_d = enumerate_patterns(Z)
try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 5))
    for x in Z:
        ax.axline((0, 0), (-x[1], x[0]), color="grey", lw=0.8)
    for p in two_d:
        w = p.witness
        scale = 1 / max(abs(w[0]), abs(w[1]))
        ax.plot(w[0] * scale, w[1] * scale, "o", color="C0")
        ax.annotate("".join(str(k) for k in sorted(p.active)) or "∅", (w[0] * scale, w[1] * scale))
    ax.set_xlim(-1.2, 1.2)
    ax.set_ylim(-1.2, 1.2)
    ax.set_aspect("equal")
    ax.set_title(f"{len(two_d)} activation patterns of 5 lines")
    fig.savefig("activation_patterns_2d.png", dpi=80)
except ImportError:
    print("matplotlib not installed: no picture")

big = enumerate_patterns([[1, t, t * t] for t in range(-15, 15)])
coverage = sampling_coverage(big, samples=500, seed=seed)
print(f"sampling found {coverage.found} of {coverage.exact} patterns")

# %% [markdown]
# ## Assertions

# %%
assert P == cover_count(n, d) == count_patterns(X) == count_patterns(X, method="zaslavsky")
assert result.ok
assert by_method["sweep"] == by_method["deletion_restriction"] == by_method["brute_force"]
assert len(by_method["sweep"]) == count_patterns(Y, method="zaslavsky") == 8  # 4 distinct lines
assert len(two_d) == 2 * len(Z)  # d = 2: every line adds two sectors
assert coverage.spurious == 0 and coverage.found < coverage.exact
