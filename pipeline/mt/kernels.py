"""Which CPU kernel multiplies the transformers backend's matrices: oneDNN's rather than the BLAS torch
was built with.

torch's CPU wheels run ``nn.Linear`` in fp32 through Intel MKL's ``sgemm``, which on AMD processors
takes a slower code path. On the 2-core AMD EPYC (AVX-512) the benchmark ran on, the output
projection of opus-mt-en-ar (48 beam rows x 512 -> 62,802) took 26-37 ms with MKL and 11-12 ms with
oneDNN, the other library every torch wheel ships (and uses for bf16): 97 against 267 GFLOPS, and 2-3x
on every other layer shape of the model (README "Performance"). Both compute in fp32 and differ in
the last bits only, as batch sizes and thread counts already make results differ: the 205
translations of ``scripts/bench_translate.py``'s (b) on the real-size model came out identical with
either kernel, and so do the tiny model's (``tests/test_kernels.py``).

Only fp32 ``nn.Linear`` layers on the CPU are routed, each through a forward of its own that falls
back to torch's when oneDNN refuses an input; gradients, other dtypes and other devices keep torch's.
Heavy imports (torch) happen inside functions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal, get_args

#: ``onednn``: fp32 CPU matrix products through oneDNN where torch offers it (the default);
#: ``torch``: whatever torch itself calls (MKL in the CPU wheels).
LinearKernel = Literal["onednn", "torch"]
LINEAR_KERNELS: tuple[LinearKernel, ...] = get_args(LinearKernel)


@functools.cache
def onednn_linear_ready() -> bool:
    """Can this torch run a linear layer through oneDNN here, with ``F.linear``'s result?

    Asked once per process on a small product: a torch built without oneDNN, a CPU it does not
    support, or a future torch that drops the operator all answer False, and the layers stay torch's.
    """
    try:
        import torch

        if not torch.backends.mkldnn.is_available():
            return False
        op = torch.ops.mkldnn._linear_pointwise
        generator = torch.Generator().manual_seed(0)
        x, w, b = (torch.randn(*shape, generator=generator) for shape in ((3, 2, 16), (8, 16), (8,)))
        with torch.inference_mode():
            got = op(x, w, b, "none", [], "")
            want = torch.nn.functional.linear(x, w, b)
        return bool(got.shape == want.shape and torch.allclose(got, want, rtol=1e-4, atol=1e-5))
    except Exception:  # no torch, no operator, an unsupported CPU: the layers stay torch's
        return False


def _onednn_forward(
    module: Any, op: Callable[..., Any], fallback: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    import torch

    def forward(x: Any) -> Any:
        weight = module.weight
        if torch.is_grad_enabled() or x.dtype != weight.dtype or x.device.type != "cpu" or x.dim() < 2:
            return fallback(x)  # oneDNN's operator has no gradient; the rest it does not take
        try:
            return op(x, weight, module.bias, "none", [], "")
        except RuntimeError:
            return fallback(x)

    return forward


def route_linears(model: Any, kernel: LinearKernel) -> LinearKernel:
    """Send ``model``'s fp32 CPU ``nn.Linear`` layers through ``kernel``; returns the kernel in use.

    ``torch``, a model with no such layers, or a torch whose oneDNN is not :func:`onednn_linear_ready`
    leave the model as it is and answer ``torch``. Each layer keeps its parameters (tied weights stay
    tied: opus-mt's output projection is its embedding matrix); only its ``forward`` changes.
    """
    if kernel not in LINEAR_KERNELS:
        raise ValueError(f"unknown linear kernel {kernel!r}; choose one of: {', '.join(LINEAR_KERNELS)}")
    if kernel == "torch" or not onednn_linear_ready():
        return "torch"
    import torch

    op = torch.ops.mkldnn._linear_pointwise
    routed = 0
    for module in model.modules():
        if type(module) is not torch.nn.Linear:  # subclasses may compute something else
            continue
        if module.weight.dtype != torch.float32 or module.weight.device.type != "cpu":
            continue
        fallback = torch.nn.Linear.forward.__get__(module)
        module.forward = _onednn_forward(module, op, fallback)  # type: ignore[method-assign,assignment]
        routed += 1
    return "onednn" if routed else "torch"
