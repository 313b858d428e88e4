# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Non-uniqueness of optimal networks and minimum-norm interpolators (KMP Props 1–2)
#
# By the gap identity, a dual point $\nu$ feasible on every region (both signs; $\tilde X^\top\nu=0$
# with a free skip) and two primal solutions built from *tight* atoms with value $d(\nu)$ are both
# optimal, hence so is the segment between them (`math/convex_duality.md` T4.3, §8). If their
# functions differ at a point, the optimum is not unique as a function.
#
# * **Fixture B** (no skip, penalised bias, $d=1$): $x=\pm\sqrt3$, $y=(1,1)$; $f_\lambda(0)=\frac{1+\lambda}2$.
# * **Fixture C** (free skip, penalised bias, XOR): $|x_1+x_2|-1$ and $1-|x_1-x_2|$ tie.
# * **Plain problem** (no bias, no skip, $\beta=\frac12$): a segment of optimal networks.

# %% tags=["parameters"]
seed = 0

# %%
from fractions import Fraction

from counterexamples.nonuniqueness import fixture_b, fixture_b_rational, fixture_c, find_nonunique, plain_continuum
from exact import Dataset
from exact.checker import check_certificate
from exact.optimum import optimal_set
from exact.stationary import global_minimum

examples = [fixture_b(), fixture_b_rational(), fixture_c(), plain_continuum()]
for ex in examples:
    print("\n".join(ex.report()))
    print("   checker:", check_certificate(ex.certificate()).checks[-1])

# %% [markdown]
# Independent routes for the plain problem: the certified optimum of `exact.optimal_set` has the same
# $\nu^*$ and value, and each solution, made a balanced network, passes the exact global test.

# %%
plain = examples[3]
data = Dataset(plain.X, plain.y, plain.beta)
opt = optimal_set(data)
print("optimal_set:", opt.kind, opt.value, opt.nu, len(opt.directions), "tight directions")
globals_ok = [global_minimum(data, s.network()).holds for s in plain.solutions]

# %% [markdown]
# A search over small rational data (built backwards from a dual point) finds new examples.

# %%
found = find_nonunique(2, 4, seed=seed)
print("\n".join(found.report()))

# %% [markdown]
# Float reproduction: gradient descent reaches $p^*=\frac54$ in several runs, at different functions.

# %%
rep = plain.reproduce(seeds=16, steps=6000, lr=0.05)
at = [float(v) for lab, v in zip(rep["labels"], rep["at_point"]) if lab == "optimum"]
print("runs at p*:", len(at), " f(point):", sorted(round(v, 4) for v in at))

# %% [markdown]
# ## Assertions

# %%
assert all(check_certificate(ex.certificate()).ok for ex in examples + [found])
assert all(ex.values[0] != ex.values[1] for ex in examples)
b = examples[0]
assert [lam * b.values[0] + (1 - lam) * b.values[1] for lam in (0, Fraction(1, 2), 1)] == [Fraction(1, 2), Fraction(3, 4), 1]
assert examples[1].values == b.values and examples[1].value == b.value
assert opt.kind == "rational" and opt.value == plain.value and tuple(opt.nu) == plain.nu and all(globals_ok)
assert len(at) >= 2 and max(at) - min(at) > 0.05
