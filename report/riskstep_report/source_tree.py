"""The checkout this package lies in when run from one (report/riskstep_report/ -> ..): where the
defaults that point into it start (build/riskstep, ../shared/data). Installed, nothing is there,
and those defaults are refused with the option that replaces them."""
import os

SOURCE_TREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
