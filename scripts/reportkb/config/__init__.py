"""Configuration: where generation reads and writes, and the data files in scripts/data/.

Importers use this package, not its modules, so the modules can be arranged freely.
"""

from reportkb.config.settings import (
    DATA_DIR,
    PROJECT_ROOT,
    Facet,
    Formula,
    NoiseRules,
    Requirement,
    Requirements,
    Settings,
    Taxonomy,
    load_formulas,
    load_noise_rules,
    load_requirements,
    load_taxonomy,
    regex_subset_error,
)

__all__ = [
    "DATA_DIR", "PROJECT_ROOT", "Facet", "Formula", "NoiseRules", "Requirement", "Requirements", "Settings",
    "Taxonomy", "load_formulas", "load_noise_rules", "load_requirements", "load_taxonomy", "regex_subset_error",
]
