#!/usr/bin/python3
"""The Herrig (2023) comparison table: riskstep_report/herrig2023.py (--help)."""
import sys

from riskstep_report.herrig2023 import main

sys.exit(main())
