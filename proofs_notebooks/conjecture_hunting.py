# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Conjecture hunting
#
# `exact.hunt(claim, ...)` draws small exact instances with hypothesis, decides the claim on each
# with the exact kernels, shrinks a failure to the smallest failing dataset and returns it with a
# certificate that the trusted checker re-verifies. Two false conjectures are refuted below with
# minimal counterexamples (no one-sample dataset fails: checked exhaustively on a small range),
# and a true one is hunted without refutation, which is evidence, not proof.
#
# * **Uniqueness** of the optimum of the convex problem (`math/convex_duality.md` T4.3, §8): false.
# * **No spurious local minimum at m = n**: false (D6.5).
# * **Strong duality** p*_C = d(nu*) (T3.3): true.

# %% tags=["parameters"]
seed, examples = 0, 200

# %%
import json
from fractions import Fraction
from itertools import product

from counterexamples.conjectures import compare_with_known, conjecture
from exact import Dataset, hunt
from exact.checker import check_certificate

# %% [markdown]
# **Uniqueness.** Instances are built dual-first: an integer nu, beta the largest block norm and the
# fit the sum of the tight columns, so nu* = nu and the optimum is rational.

# %%
unique = conjecture("unique_optimum")
res = hunt(unique, n=(1, 3), d=(1, 4), max_examples=examples, budget=600, seed=seed)
print(res.report())
print(compare_with_known(unique, res.counterexample))
cert = json.loads(json.dumps(res.counterexample.evidence.certificate))
assert res.refuted and check_certificate(cert).ok and len(cert["vertices"]) >= 2
assert res.counterexample.n == 2

# %% [markdown]
# One sample never fails (its only tight direction is x/|x|), so n = 2 is minimal.

# %%
for x, y, beta in product([(1,), (-2,), (1, -1), (2, 0)], [-2, 3], [Fraction(1, 2), 2]):
    assert unique.predicate(Dataset([list(x)], [y], beta)).holds

# %% [markdown]
# **No spurious local minimum at m = n.** Each one-block stationary point is spread over n
# neurons and classified exactly; a spurious one carries a competitor of the same width.

# %%
spurious = conjecture("no_spurious_at_n")
res = hunt(spurious, n=(1, 2), d=(1, 1), max_examples=40, budget=600, seed=seed)
print(res.report())
print(compare_with_known(spurious, res.counterexample))
assert res.refuted and res.counterexample.verified and res.counterexample.n == 2
for x, y, beta in product([1, -1, 2], [-2, 1], [Fraction(1, 2), 1]):
    assert spurious.predicate(Dataset([[x]], [y], beta)).holds

# %% [markdown]
# **Strong duality** is not refuted; the coverage says what was checked.

# %%
res = hunt(conjecture("strong_duality"), max_examples=6, budget=600, seed=seed)
print(res.report())
assert not res.refuted and "evidence, not proof" in res.report()
