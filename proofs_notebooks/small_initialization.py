# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Small initialisation ends at a spurious point ([BBEL] Thm 2; `math/benignity_and_relaxation.md` §4)
#
# Data: $x_1=e_1$, $x_{2,3}=(\frac89,\mp\frac49,\frac19)$, teacher $v=(\frac45,0,\frac35)$, $y=Xv$.
# The rank-one point (positive neurons parallel to $z_\beta=\arg\min\frac12\|Xz-y\|^2+\beta\|z\|$) is
# enclosed exactly; it is a true local minimum when no neuron is zero, a saddle (escape certified)
# with a zero neuron, and spurious: a rational network has an exactly smaller value.

# %% tags=["parameters"]
beta = "1/1000"
seeds = 4
steps = 60_000

# %%
from counterexamples.small_init import small_initialization
from exact.checker import check_certificate

ex = small_initialization(beta)
print("\n".join(ex.report()))
result = check_certificate(ex.certificate())
for line in result.checks[:4]:
    print(" -", line)

# %% [markdown]
# Float gradient descent from balanced initialisations of scale $\alpha$: small $\alpha$ ends at the
# rank-one value, large $\alpha$ moves on towards the global one.

# %%
rep = ex.reproduce(alphas=(1e-3, 1e-2, 0.25, 0.5), seeds=seeds, width=20, steps=steps, record_every=500)
print("alpha  at rank-one  at global  other")
for alpha, r1, g, other in rep["table"]:
    print(f"{alpha:<6} {r1:^11d} {g:^10d} {other:^5d}")
try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for i, alpha in enumerate((1e-3, 1e-2, 0.25, 0.5)):
        for b in range(seeds):
            ax.plot(rep["times"], rep["losses"][i * seeds + b], color=f"C{i}", lw=0.8, label=f"alpha={alpha}" if b == 0 else None)
    ax.axhline(float(ex.value_interval[0]), color="k", ls="--", lw=0.8, label="rank-one value")
    ax.axhline(float(ex.global_interval[0]), color="k", ls=":", lw=0.8, label="global minimum")
    ax.set_yscale("log")
    ax.set_xlabel("flow time t")
    ax.set_ylabel("F")
    ax.legend()
    fig.savefig("small_initialization_loss.png", dpi=80)
except ImportError:
    print("matplotlib not installed: no picture")

# %% [markdown]
# ## Assertions

# %%
assert result.ok and ex.spurious
assert ex.value_interval[0] > ex.global_interval[1]
assert ex.escape["q"] < 0 and ex.minus_bound < ex.beta**2
table = {alpha: (r1, g) for alpha, r1, g, _ in rep["table"]}
assert table[1e-3] == (seeds, 0) and table[1e-2] == (seeds, 0)
assert table[0.5][0] == 0
