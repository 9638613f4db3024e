"""Process instances: one run of a template, its event history, and which transitions are allowed.

A :class:`ProcessInstance` follows every step through the lifecycle pending -> open -> done (or skipped),
defined once with the `transitions` engine (kept private here, see ``_lifecycle``). It refuses what cannot
happen with an :class:`~civicflow.errors.IllegalTransitionError` that says why and what is allowed,
explains what is blocked and until when (:meth:`ProcessInstance.blocked`), checks its history against the
legal deadlines (:meth:`ProcessInstance.check`) and saves to and restores from a versioned JSON form.
"""

from __future__ import annotations

from civicflow.instance._instance import BlockedTransition, ProcessInstance, Transition
from civicflow.instance._lifecycle import StepState

__all__ = ["BlockedTransition", "ProcessInstance", "StepState", "Transition"]
