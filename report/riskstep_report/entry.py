"""What every command's main() shares: run its body, and turn an exception into one line on
stderr and riskstep's exit statuses (0 done, 2 bad input, 1 any other failure)."""
import sys

from riskstep_report.errors import ReportError


def run(program, body):
    """Calls body() (which returns nothing); returns the exit status for sys.exit."""
    try:
        body()
    except ReportError as error:
        print(f"{program}: {error}", file=sys.stderr)
        return error.status
    except OSError as error:  # a file this command writes: its path and the system's reason
        where = f"{error.filename}: " if error.filename else ""
        print(f"{program}: {where}{error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{program}: interrupted", file=sys.stderr)
        return 130
    return 0
