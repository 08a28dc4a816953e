"""The report's exceptions. Library functions raise them; only a command's main() turns one into
a line on stderr and an exit status, the way riskstep does (2 bad input, 1 any other failure)."""


class ReportError(Exception):
    """A failure with a one-line message; `status` is the exit status main() gives it."""

    status = 1


class BadInput(ReportError, ValueError):
    """Input at fault (a missing or unreadable file, a task that is not there, a bad option)."""

    status = 2


class NoResultsFile(BadInput, FileNotFoundError):
    """No results file at the path given (riskstep's message: `PATH: no such results file`)."""


class RiskstepFailed(ReportError):
    """A riskstep subcommand exited non-zero: its own one-line message and exit status."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = 2 if status == 2 else 1
