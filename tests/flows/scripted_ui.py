"""A scripted person in front of the screen: answers steps from a script, records what was shown."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from flows.steps import Answer, Step


class ScriptEnded(Exception):
    """The script has no more answers: the person walked away."""


@dataclass
class ScriptedUi:
    script: list[Answer | Callable[[Step], Answer]]
    shown: list[Step] = field(default_factory=list)

    async def ask(self, step: Step) -> Answer:
        self.shown.append(step)
        await asyncio.sleep(0)
        if not self.script:
            raise ScriptEnded
        answer = self.script.pop(0)
        return answer(step) if callable(answer) else answer
