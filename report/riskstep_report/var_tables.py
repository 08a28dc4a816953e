"""What the VaR reports take from riskstep's backtest_var study table (`riskstep aggregate`):
which models are networks, and how many of their tasks are flagged."""
import numpy as np

FLAGS = ("collapsed", "nonfinite_loss")  # 0/1 per network task (docs/results-columns.md)


def network_models(table):
    """The models of a backtest_var study table that are networks: the rows with a training
    `protocol` (classical models have none), in the table's order."""
    if "protocol" not in table:
        return []
    return list(dict.fromkeys(table.model[table.protocol != ""]))


def network_flags(riskstep, results, level, models):
    """[(model, {flag: tasks with it})] for `models` at `level`, from `riskstep aggregate --by
    model,level,collapsed,nonfinite_loss` (its `runs` per flag value)."""
    if not models:
        return []
    rows = riskstep.aggregate(results, by=["model", "level", *FLAGS])["backtest_var"]
    rows = rows[np.isclose(rows.level, float(level))]
    return [(model, {flag: int(rows.runs[(rows.model == model) & (rows[flag] == 1)].sum())
                     for flag in FLAGS})
            for model in models]
