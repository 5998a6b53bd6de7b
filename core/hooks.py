"""Named hooks: a lower app's service calls `hooks_run(NAME, ...)` at the point where a higher app may act, and the
higher app registers its function in `AppConfig.ready()` (Wagtail's hooks, as core/panels.py does for pages). The
call is in the service, so a reader following the calls finds every side effect; no model signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# vip's questionnaire_answer has saved an answer: `answer=` (vip.models.Answer). analytics makes a detractor's task
# from a 0-6 "would you recommend us".
VIP_ANSWER_SAVED = "vip.answer_saved"

_HOOKS: dict[str, dict[str, Callable[..., Any]]] = {}


def hook_register(name: str, key: str, fn: Callable[..., Any]) -> None:
    """Add `fn` to the hook `name` under `key`; registering the same key again replaces it (ready() may run twice)."""
    _HOOKS.setdefault(name, {})[key] = fn


def hooks_run(name: str, **kwargs: Any) -> None:
    """Call every function registered on `name`, in the order they were registered, inside the caller's transaction."""
    for fn in list(_HOOKS.get(name, {}).values()):
        fn(**kwargs)
