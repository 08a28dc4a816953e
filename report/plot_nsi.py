#!/usr/bin/python3
"""NSI figure, study table and the StepNet paper's claims: riskstep_report/figures_nsi.py
(--help)."""
import sys

from riskstep_report.figures_nsi import main

sys.exit(main())
