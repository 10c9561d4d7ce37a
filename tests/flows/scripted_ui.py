"""A scripted person in front of the screen: answers steps from a script, records what was shown.

A script entry is an answer, a function of the step shown that returns one, or `Wait`: the
person does nothing on that screen (a device is expected to answer it, e.g. a card placed by
`Wait.then`). Busy screens ("正在提交…") are never answered: a person just waits there, so the
script is not consumed by them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from flows.steps import Answer, BusyStep, Step


class ScriptEnded(Exception):
    """The script has no more answers: the person walked away."""


@dataclass(frozen=True)
class Wait:
    """Answer nothing on this screen; `then(step)` runs when it is shown (steer a device)."""

    then: Callable[[Step], object] | None = None
    # a safety net so a wrong script fails instead of hanging; not a timing assertion
    patience_s: float = 60.0


@dataclass
class ScriptedUi:
    script: list[Answer | Callable[[Step], Answer] | Wait]
    shown: list[Step] = field(default_factory=list)

    async def ask(self, step: Step) -> Answer:
        self.shown.append(step)
        await asyncio.sleep(0)
        if isinstance(step, BusyStep):
            await asyncio.Event().wait()  # until the work is done and the flow moves on
        if not self.script:
            raise ScriptEnded
        answer = self.script.pop(0)
        if isinstance(answer, Wait):
            if answer.then is not None:
                answer.then(step)
            await asyncio.sleep(answer.patience_s)
            raise AssertionError(f"nothing answered {type(step).__name__} for the script")
        return answer(step) if callable(answer) else answer

    def of_type(self, kind: type) -> list:
        return [step for step in self.shown if isinstance(step, kind)]
