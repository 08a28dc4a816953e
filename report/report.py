#!/usr/bin/python3
"""One self-contained HTML page of a results file or sweep directory, what `riskstep report`
runs: riskstep_report/html_report.py (--help)."""
import sys

from riskstep_report.html_report import main

sys.exit(main())
