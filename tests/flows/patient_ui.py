"""A scripted person who can also just stand and wait: `WAIT` leaves a screen unanswered until
the flow moves on by itself (a capture, a print) and takes the screen away."""

from __future__ import annotations

import asyncio

from flows.steps import Answer, Step
from tests.flows.scripted_ui import ScriptedUi, ScriptEnded

WAIT = object()


class PatientUi(ScriptedUi):
    async def ask(self, step: Step) -> Answer:
        self.shown.append(step)
        await asyncio.sleep(0)
        if not self.script:
            raise ScriptEnded
        answer = self.script.pop(0)
        if callable(answer):
            answer = answer(step)
        if answer is WAIT:
            await asyncio.Event().wait()  # until the flow cancels this screen
        return answer

    def steps(self, kind: type) -> list:
        return [step for step in self.shown if isinstance(step, kind)]
