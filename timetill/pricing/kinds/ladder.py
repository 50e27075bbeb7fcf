"""Price ladder: steps (duration, price); the shortest step covering the stay, repeated past the longest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..engine import Env, Priced
from ..errors import StayError
from ..fields import Amount, Context, Duration, ListOf, Obj, Prop, Text
from ..quote import ADJUSTMENT, CHARGE, Choice
from ..spans import describe_duration
from ..text import Text as Message
from ..text import gettext_noop, literal, text
from .common import DEDUCTED, GRACE_FIELD, THRESHOLD, Grace, grace_from, grace_text, grace_values

STEP_FIELD = Obj(
    (
        Prop("duration", Duration("How long this step covers."), required=True),
        Prop("price", Amount("Price of the step."), required=True),
        Prop("label", Text('What customers see, e.g. "1 hour"; the duration by default.', max_length=80)),
    ),
    description="A step of the ladder.",
)

PROPS = (
    Prop(
        "steps",
        ListOf(
            STEP_FIELD, "Steps, shortest first; durations strictly increasing.", min_items=1, max_items=50
        ),
        required=True,
    ),
    Prop("grace", GRACE_FIELD),
)


@dataclass(frozen=True, slots=True)
class Step:
    duration: int
    price: int
    label: str | None = None

    @property
    def title(self) -> str:
        return self.label or describe_duration(self.duration)

    @property
    def title_text(self) -> Message:
        return literal(self.label) if self.label else text("{step_length}", step_length=self.title)


@dataclass(frozen=True, slots=True)
class LadderRules:
    """Steps sorted by duration. The proposal is the shortest step that covers the stay; past the longest
    step the ladder starts again (3 h 30 on a 1 h / 2 h ladder is 2 h + the step covering 1 h 30)."""

    kind: ClassVar[str] = "ladder"
    per_stay: ClassVar[bool] = True

    steps: tuple[Step, ...]
    grace: Grace | None = None

    def values(self) -> dict[str, Any]:
        return {
            "steps": [{"duration": s.duration, "price": s.price, "label": s.label} for s in self.steps],
            "grace": grace_values(self.grace),
        }

    def covering(self, length: int) -> Step:
        for step in self.steps:
            if step.duration >= length:
                return step
        return self.steps[-1]

    def price(self, stays: list[tuple[int, int]], env: Env) -> Priced:
        start, end = stays[0]
        length = end - start
        if length == 0:
            return Priced((), 0)
        lines = []
        grace = self.grace
        if grace is not None:
            span = describe_duration(grace.duration)
            if grace.mode == THRESHOLD and length <= grace.duration:
                label = grace_text(grace, whole_stay=True)
                line = env.line("grace", ADJUSTMENT, label, start, end, 1, span, 0, span, 0)
                return Priced((line,), 0)
            if grace.mode == DEDUCTED:
                until = min(start + grace.duration, end)
                label = grace_text(grace, whole_stay=False)
                lines.append(env.line("grace", ADJUSTMENT, label, start, until, 1, span, 0, span, 0))
                start = until
                length = end - start
                if length == 0:
                    return Priced(tuple(lines), 0)
        longest = self.steps[-1]
        rounds, rest = divmod(length, longest.duration)
        if rest == 0:
            rounds, rest = rounds - 1, longest.duration
        total = 0
        at = start
        if rounds:
            amount = rounds * longest.price
            label = text(gettext_noop("{step} (ladder repeated)"), step=longest.title_text)
            until = at + rounds * longest.duration
            lines.append(
                env.line(
                    "step",
                    CHARGE,
                    label,
                    at,
                    until,
                    rounds,
                    longest.title,
                    longest.price,
                    longest.title,
                    amount,
                )
            )
            total += amount
            at = until
        proposed = self.covering(rest)
        label = proposed.title_text
        if env.choice is not None:
            chosen = next((s for s in self.steps if s.title == env.choice), None)
            if chosen is None:
                known = ", ".join(s.title for s in self.steps)
                raise StayError(
                    gettext_noop("choice: the ladder has no step {value} ({options})"),
                    code="unknown_step",
                    value=repr(env.choice),
                    options=known,
                )
            proposed, label = chosen, text(gettext_noop("{step} (chosen)"), step=chosen.title_text)
        lines.append(
            env.line(
                "step",
                CHARGE,
                label,
                at,
                end,
                1,
                proposed.title,
                proposed.price,
                proposed.title,
                proposed.price,
            )
        )
        total += proposed.price
        choices: tuple[Choice, ...] = ()
        if not rounds:
            choices = tuple(Choice(s.title, env.money(s.price), s is proposed) for s in self.steps)
        return Priced(tuple(lines), total, choices)


def build(values: dict[str, Any], ctx: Context, path: str, has_zone: bool) -> LadderRules | None:
    steps = tuple(Step(v["duration"], v["price"], v["label"]) for v in values["steps"])
    ok = True
    for i in range(1, len(steps)):
        if steps[i].duration <= steps[i - 1].duration:
            where = f"{path}.steps[{i}].duration" if path else f"steps[{i}].duration"
            ctx.error(where, gettext_noop("must be longer than the step before it (steps go shortest first)"))
            ok = False
    return LadderRules(steps, grace_from(values["grace"])) if ok else None
