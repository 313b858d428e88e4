"""The float backend: the only place in reluscape where floats live.

Floats *find* and *cross-check*; they are never the evidence for a claim. Everything here is
numpy (and optionally torch); results that feed an exact computation are rationalized and
certified by the exact kernels.
"""
