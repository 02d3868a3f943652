"""Messages the screens post up to the app, which decides what happens next."""

from __future__ import annotations

from textual.message import Message

from tui.state import Draft


class StepCompleted(Message):
    """A wizard step is done; `draft` carries its answers."""

    def __init__(self, step: str, draft: Draft) -> None:
        super().__init__()
        self.step = step
        self.draft = draft


class StepBack(Message):
    """The user wants the previous step."""

    def __init__(self, step: str) -> None:
        super().__init__()
        self.step = step


class JumpToStep(Message):
    """Go back to an earlier step (e.g. the one a failed check points at)."""

    def __init__(self, step: str) -> None:
        super().__init__()
        self.step = step


class ProfileAction(Message):
    """An action on a saved profile, from the home screen: new, edit, duplicate, delete,
    use, validate, copy."""

    def __init__(self, action: str, name: str | None = None) -> None:
        super().__init__()
        self.action = action
        self.name = name
