"""The error every bad input raises: the file, the field and what was expected (exit status 2)."""

from __future__ import annotations

from pathlib import Path


class ScenarioError(ValueError):
    """A scenario file that cannot be read or does not validate.

    Attributes:
        path: the file concerned (the first problem's file).
        problems: one ``(field, message)`` pair per problem found.
        files: the file of each problem: a problem in a scenario's ``base`` file names that file.
    """

    def __init__(
        self, path: str | Path, problems: list[tuple[str, str]], files: list[str | Path] | None = None
    ) -> None:
        self.problems = problems
        self.files = [str(f) for f in files] if files else [str(path)] * len(problems)
        self.path = self.files[0] if self.files else str(path)
        lines = [
            f"{file}: {field}: {msg}" if field else f"{file}: {msg}"
            for file, (field, msg) in zip(self.files, problems, strict=True)
        ]
        super().__init__("\n".join(lines) if lines else self.path)
