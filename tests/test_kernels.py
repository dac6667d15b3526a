"""The transformers backend's CPU kernels: oneDNN linear layers and the in-place token ban."""

from __future__ import annotations

import platform
from pathlib import Path

import pytest
import torch

from pipeline.mt import kernels
from pipeline.mt.kernels import onednn_linear_ready, route_linears
from pipeline.mt.marian import BannedTokens, MarianBackend, banned_single_tokens

TEXTS = [
    "The government announced a new budget on Monday after weeks of negotiations.",
    "Yes.",
    "Iraqi forces hold a position near the Syrian border after recapturing the town of al-Qaim.",
    "Police arrested three men.",
]


def small_net() -> torch.nn.Module:
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.SiLU(), torch.nn.Linear(32, 8, bias=False))
    return net.eval()


def test_onednn_is_usable_on_an_x86_torch() -> None:
    """Where torch ships oneDNN on x86-64 (every CPU wheel), the probe must find it: a probe that
    always failed would silently leave the slow kernel in place."""
    if platform.machine() not in ("x86_64", "AMD64") or not torch.backends.mkldnn.is_available():
        pytest.skip("oneDNN is only expected on x86-64 torch builds")
    assert onednn_linear_ready()


@pytest.mark.skipif(not onednn_linear_ready(), reason="oneDNN linear not available in this torch")
def test_routed_layers_compute_what_torch_computes() -> None:
    net, reference = small_net(), small_net()
    x = torch.randn(5, 3, 16)
    assert route_linears(net, "onednn") == "onednn"
    assert all("forward" in vars(m) for m in net.modules() if isinstance(m, torch.nn.Linear))
    with torch.inference_mode():
        got, want = net(x), reference(x)
        transposed = net(x.transpose(0, 1))  # a non-contiguous input
    assert got.shape == want.shape
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(transposed, want.transpose(0, 1), rtol=1e-5, atol=1e-5)


@pytest.mark.skipif(not onednn_linear_ready(), reason="oneDNN linear not available in this torch")
def test_gradients_other_dtypes_and_refusals_fall_back_to_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    net, reference = small_net(), small_net()
    route_linears(net, "onednn")
    x = torch.randn(4, 16, requires_grad=True)
    net(x).sum().backward()  # oneDNN's operator has no gradient: torch's forward takes over
    assert x.grad is not None
    with torch.inference_mode():
        torch.testing.assert_close(net.double()(x.double()), reference.double()(x.double()))

    def refuse(*args: object) -> object:
        raise RuntimeError("unsupported")

    net, reference = small_net(), small_net()  # .double() converted them in place
    monkeypatch.setattr(torch.ops.mkldnn, "_linear_pointwise", refuse, raising=False)
    route_linears(net, "onednn")
    with torch.inference_mode():
        torch.testing.assert_close(net(x), reference(x))


def test_torch_kernel_and_unknown_names() -> None:
    net = small_net()
    assert route_linears(net, "torch") == "torch"
    assert not any("forward" in vars(m) for m in net.modules())
    with pytest.raises(ValueError, match="unknown linear kernel 'mkl'"):
        route_linears(net, "mkl")  # type: ignore[arg-type]


def test_a_torch_without_onednn_keeps_its_layers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernels, "onednn_linear_ready", lambda: False)
    net = small_net()
    assert route_linears(net, "onednn") == "torch"
    assert not any("forward" in vars(m) for m in net.modules())


def test_backend_translations_do_not_depend_on_the_kernel(tiny_model_dir: Path) -> None:
    """Same translations, tied weights still tied. (On the real model's size, 205 FLORES sentences
    came out identical too: scripts/bench_translate.py --linear-kernel torch against the default.)"""
    routed = MarianBackend(tiny_model_dir, progress=False)
    plain = MarianBackend(tiny_model_dir, progress=False, linear_kernel="torch")
    assert plain.linear_kernel == "torch"
    assert routed.linear_kernel == ("onednn" if onednn_linear_ready() else "torch")
    model = routed.model
    assert model.lm_head.weight is model.model.shared.weight
    assert routed.translate(TEXTS, lang="ar") == plain.translate(TEXTS, lang="ar")


def test_banned_tokens_replace_the_sequence_bias(
    tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pad token stays banned, outputs stay exactly those of transformers' own ban, and the
    costly sequence-bias processor no longer runs."""
    from transformers.generation import logits_process

    backend = MarianBackend(tiny_model_dir, progress=False)
    pad = backend.tokenizer.pad_token_id
    assert backend.banned == [pad]
    biased: list[int] = []
    real = logits_process.SequenceBiasLogitsProcessor.__call__

    def spy(self: object, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        biased.append(1)
        return real(self, input_ids, scores)  # type: ignore[arg-type]

    monkeypatch.setattr(logits_process.SequenceBiasLogitsProcessor, "__call__", spy)
    ours = backend.translate(TEXTS, lang="ar")
    assert not biased
    backend.banned = None  # transformers' own bad_words_ids
    assert backend.translate(TEXTS, lang="ar") == ours
    assert biased


def test_banned_single_tokens() -> None:
    class Config:
        bad_words_ids: list[list[int]] | None = None

    config = Config()
    assert banned_single_tokens(config) is None
    config.bad_words_ids = [[7], [3], [7]]
    assert banned_single_tokens(config) == [3, 7]
    config.bad_words_ids = [[7], [3, 4]]  # a longer word: transformers' processor is needed
    assert banned_single_tokens(config) is None
    scores = torch.zeros(2, 9)
    assert torch.isinf(BannedTokens([3, 7])(None, scores)[:, [3, 7]]).all()
    assert scores[:, [0, 1, 2, 4, 5, 6, 8]].eq(0).all()
