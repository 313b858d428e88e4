# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Symmetry families of critical points in the Gaussian teacher–student model
#
# For $x\sim\mathcal N(0,I_k)$, the student $x\mapsto\mathbf 1^\top\sigma(Wx)$ and the teacher
# $V=I_k$, the population loss
# $L(W)=\tfrac12\mathbb E[(\mathbf 1^\top\sigma(Wx)-\mathbf 1^\top\sigma(x))^2]$ is invariant under
# $(\pi,\rho)\in S_k\times S_k$. Its spurious critical points come in families with isotropy
# $\Delta(S_{p_1}\times\dots\times S_{p_r})$, given by convergent power series in $k^{-1/2}$
# (Arjevani–Field; Safran–Shamir 2018; `math/symmetry_families.md`).
#
# **Claims checked here.**
# 1. Type A (isotropy $\Delta S_{k-1}$) has $L_A=(\tfrac12-\tfrac2{\pi^2})k^{-1}+O(k^{-3/2})$;
#    Fk (all rows flipped) has $L_{F_k}\to\tfrac12-\tfrac1\pi>0$.
# 2. Each family is a critical point of $L$, proved by a Krawczyk test in arb balls, wherever
#    its branch (continued from $k=\infty$) reaches.
# 3. Spurious local minima exist at small $k$: type A is a strict local minimum from $k=6$ on
#    (decided by an arb Cholesky factorisation over the Krawczyk box), with threshold
#    $k^*\approx5.5855$.
# 4. The Hessian at the global minimum $W=I$ has the closed-form spectrum of §5.1.

# %% tags=["parameters"]
k_small = range(3, 9)
certify_ks = (6,)
order = 4
dps = 30

# %%
import mpmath
import sympy

from exact.symmetry import (
    FAMILIES,
    certify_critical_point,
    continue_branch,
    critical_point,
    family_series,
    global_minimum_hessian,
    global_minimum_spectrum,
    hessian_spectrum,
    is_local_minimum,
    threshold,
    verify_certificate,
)
from exact.symmetry.fixed_points import FixedPointSpace

pi = sympy.pi

# %% [markdown]
# ## The families as exact power series in $s=k^{-1/2}$
#
# Coefficients are exact: in $\mathbb Q(\pi)$, and in $\mathbb Q(\pi)(\sqrt2)$ for the families
# with a block of size 2 ($\sqrt2$ enters the loss of A2 at $s^4$). Denominators such as
# $\pi-2$ appear from $s^5$ on.

# %%
series = {name: family_series(name, order) for name in FAMILIES}
for name, ser in series.items():
    print(f"{name}: L(s) = " + " + ".join(f"({c}) s^{m}" for m, c in enumerate(ser.loss[:4]) if c != 0) + " + ...")
a = series["A"]
for coord in a.names:
    print(f"  A {coord}: " + ", ".join(f"s^{m}: {c}" for m, c in a.leading_terms(coord)[:2]))

# %% [markdown]
# ## Loss against $k$: critical points at 30 digits, certified
#
# `critical_point` runs Newton from the truncated series at large $k$ and follows the branch
# down in real $k$; `certify_critical_point` encloses the unique zero of the restricted
# gradient in a box of radius $10^{-20}$. "min" is the sign of the least Hessian eigenvalue
# (isotypic decomposition, mpmath); the rigorous decision follows below.

# %%
rows = []
for name in FAMILIES:
    for k in k_small:
        try:
            p = critical_point(name, k, dps=dps)
        except ValueError as err:  # the branch does not reach this k (a fold, or a degenerate end)
            rows.append((name, k, None, None, str(err).split(":")[0]))
            continue
        lam = hessian_spectrum(name, k, dps=20, rigorous=False).minimum[0]
        rows.append((name, k, p.loss, lam, ""))
print(f"{'family':6s} {'k':>3s} {'loss':>22s} {'least eigenvalue':>18s}  min?")
for name, k, loss, lam, note in rows:
    if loss is None:
        print(f"{name:6s} {k:3d} {'-':>22s} {'-':>18s}  ({note})")
    else:
        print(f"{name:6s} {k:3d} {mpmath.nstr(loss, 16):>22s} {mpmath.nstr(lam, 8):>18s}  {'yes' if lam > 0 else 'no'}")

# %%
certificates = {}
for name in FAMILIES:
    for k in certify_ks:
        if k >= {"F2": 5, "A": 3, "Fk": 3}.get(name, 4):
            cert = certify_critical_point(name, k, dps=40)
            certificates[name, k] = cert.verified and verify_certificate(cert.to_json())
print(certificates)

# %% [markdown]
# ## Asymptotics, log–log
#
# Along each branch (continued in real $k$ at large $k$), $kL_A\to\tfrac12-\tfrac2{\pi^2}$ and
# $kL_{A2}\to1-\tfrac4{\pi^2}$, while $L_{F_k}\to\tfrac12-\tfrac1\pi$; convergence is slow (the
# next term is $k^{-1/2}$ smaller).

# %%
ks = [10**j for j in (2, 3, 4, 6)]
curves = {}
with mpmath.workdps(30):
    for name in ("A", "A2", "Fk"):
        fam = FAMILIES[name]
        values = []
        for k in ks:
            x = continue_branch(name, mpmath.mpf(k))
            values.append(FixedPointSpace(fam.composition(mpmath.mpf(k))).loss(x, "mpmath"))
        curves[name] = values
        print(name, [mpmath.nstr(k * v if name != "Fk" else v, 10) for k, v in zip(ks, values)])

try:
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
if plt is not None:
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for name, values in curves.items():
        ax.loglog(ks, [float(v) for v in values], "o-", label=name)
    ax.set_xlabel("k")
    ax.set_ylabel("L at the critical point")
    ax.legend()
    fig.tight_layout()
    fig.savefig("symmetry_families_loss.png", dpi=120)

# %% [markdown]
# ## Spurious minima at small $k$, decided rigorously, and the threshold of type A

# %%
minimum = {k: is_local_minimum("A", k) for k in (5, 6, 7)}
kstar, irrep = threshold("A", dps=20)
print(minimum, mpmath.nstr(kstar, 15), irrep)

# %% [markdown]
# ## The global minimum (math §5.1)

# %%
k = 4
with mpmath.workdps(30):
    numeric = sorted(mpmath.eigsy(mpmath.matrix(global_minimum_hessian(k, arithmetic="mpmath")), eigvals_only=True))
table = sorted(sympy.N(v, 30) for v, m in global_minimum_spectrum(k) for _ in range(m))
gap = max(abs(x - y) for x, y in zip(numeric, table))
print(global_minimum_spectrum(k), gap)

# %% [markdown]
# ## Assertions (the claims above)

# %%
assert a.loss[:4] == (0, 0, sympy.Rational(1, 2) - 2 / pi**2, -32 / (3 * pi**4))
assert sympy.simplify(series["Fk"].loss[0] - (sympy.Rational(1, 2) - 1 / pi)) == 0
assert series["A2"].loss[4].has(sympy.sqrt(2))
assert all(certificates.values())
assert minimum == {5: False, 6: True, 7: True}
assert abs(kstar - mpmath.mpf("5.58550524742588")) < mpmath.mpf(10) ** -12 and irrep == "std_0"
assert all(loss > 0 for name, k, loss, lam, _ in rows if loss is not None)  # spurious: L > 0
assert any(lam > 0 for name, k, loss, lam, _ in rows if name == "A" and loss is not None)
assert gap < mpmath.mpf(10) ** -20
