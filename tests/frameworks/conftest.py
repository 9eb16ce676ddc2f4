"""The scripts of tools/ are what these tests check: import them by name, as they run."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
