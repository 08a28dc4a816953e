"""How the report names things. Model names, their order and display labels are riskstep's
(`riskstep describe`, a setting's choices); indices are shown as riskstep names them; a period as
its name and the first and last day of its test window."""
import re


class Choices:
    """A setting's declared choices ([(value, label)] in riskstep's table order): the order to
    show values in, their labels, and a fixed slot per value (for colours that agree between
    figures). Values riskstep does not declare come after, in the order first asked for."""

    def __init__(self, choices):
        self.values = [value for value, _ in choices]
        self.labels = dict(choices)
        self.others = []

    def label(self, value):
        return self.labels.get(str(value), str(value))

    def slot(self, value):
        value = str(value)
        if value in self.labels:
            return self.values.index(value)
        if value not in self.others:
            self.others.append(value)
        return len(self.values) + self.others.index(value)

    def sort_key(self, value):
        value = str(value)
        return (0, self.values.index(value), "") if value in self.labels else (1, 0, value)

    def ordered(self, values):
        return sorted(dict.fromkeys(map(str, values)), key=self.sort_key)

    def among(self, values):
        """These choices restricted to `values` (in this order, undeclared ones after): slots
        then number only what is there, so a few models get the first, most distinct colours."""
        return Choices([(value, self.label(value)) for value in self.ordered(values)])


def period_text(period, first_day, last_day):
    """'calm, 2017-01-03 to 2018-12-31'; a period that is itself a date range shows only the days
    (its first test day may be later than the range's start)."""
    days = f"{first_day:%Y-%m-%d} to {last_day:%Y-%m-%d}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}:\d{4}-\d{2}-\d{2}", str(period)):
        return days
    return f"{period}, {days}"


def confidence(level):
    """The VaR's confidence of a tail probability: 0.01 -> '99%'."""
    return f"{100 * (1 - float(level)):g}%"


def level_text(level):
    """The shortest text giving the same double: 0.05, 0.025."""
    try:
        return repr(float(level))
    except (TypeError, ValueError):
        return str(level)


def file_part(name):
    """A piece of a file name: 'A:B' -> 'A_to_B', anything outside [A-Za-z0-9._-] -> '-'."""
    name = str(name).replace(":", "_to_")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")
    return name or "unnamed"


def file_stem(index, period):
    return f"{file_part(index)}_{file_part(period)}"


def plural(count, word):
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
