#!/usr/bin/python3
"""The crisis study's tables and figures: riskstep_report/crisis.py (--help)."""
import sys

from riskstep_report.crisis import main

sys.exit(main())
