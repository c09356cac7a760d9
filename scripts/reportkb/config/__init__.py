"""Configuration: where generation reads and writes, and the data files in scripts/data/.

Importers use this package, not its modules, so the modules can be arranged freely:
``paths`` (project root, data folder, ``Settings``), ``schema`` (declared keys and
the validator), and one module per data file (``noise``, ``taxonomy``,
``requirements`` with ``regex_subset``, ``formulas``).
"""

from reportkb.config.formulas import Formula, load_formulas
from reportkb.config.noise import NoiseRules, PatternGroup, load_noise_rules
from reportkb.config.paths import DATA_DIR, PROJECT_ROOT, Settings, display_path
from reportkb.config.regex_subset import REGEX_SUBSET_DOC, regex_subset_error
from reportkb.config.requirements import (
    CheckerSettings,
    CheckFormula,
    Placeholder,
    Requirement,
    Requirements,
    load_requirements,
)
from reportkb.config.schema import REQUIRED, Field, Validator, load_yaml
from reportkb.config.taxonomy import Facet, Taxonomy, load_taxonomy

__all__ = [
    "DATA_DIR", "PROJECT_ROOT", "REGEX_SUBSET_DOC", "REQUIRED", "CheckFormula", "CheckerSettings", "Facet", "Field",
    "Formula", "NoiseRules", "PatternGroup", "Placeholder", "Requirement", "Requirements", "Settings", "Taxonomy",
    "Validator", "display_path", "load_formulas", "load_noise_rules", "load_requirements", "load_taxonomy",
    "load_yaml", "regex_subset_error",
]
