#!/usr/bin/python3
"""Figures of VaR backtests: riskstep_report/figures_var.py (--help)."""
import sys

from riskstep_report.figures_var import main

sys.exit(main())
