"""A scripted person who can also just stand and wait: `WAIT` leaves a screen unanswered until
the flow moves on by itself (a capture) and takes the screen away. Screens of the `watch`
types (the printer at work, shown again as each page comes out) are watched without taking an
answer from the script, unless the script's next answer is `For(that type, answer)`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from flows.printing import PrintingStep
from flows.steps import Answer, Step
from tests.flows.scripted_ui import ScriptedUi, ScriptEnded

WAIT = object()


@dataclass(frozen=True)
class For:
    kind: type
    answer: object


@dataclass
class PatientUi(ScriptedUi):
    watch: tuple[type, ...] = field(default=(PrintingStep,))

    async def ask(self, step: Step) -> Answer:
        self.shown.append(step)
        await asyncio.sleep(0)
        upcoming = self.script[0] if self.script else None
        answered = isinstance(upcoming, For) and isinstance(step, upcoming.kind)
        if isinstance(step, self.watch) and not answered:
            await asyncio.Event().wait()  # until the flow moves on
        if not self.script:
            raise ScriptEnded
        answer = self.script.pop(0)
        if isinstance(answer, For):
            answer = answer.answer
        if callable(answer):
            answer = answer(step)
        if answer is WAIT:
            await asyncio.Event().wait()  # until the flow cancels this screen
        return answer

    def steps(self, kind: type) -> list:
        return [step for step in self.shown if isinstance(step, kind)]
