"""Bach's rates on the teacher's audit, from the train split, for pieces that have no Bach
harmonization of their own to stand beside (a composed piece's page, its metrics JSON).

    python -m composer.evaluation.bach_rates   # writes composer/metrics/bach_audit.json
"""

from __future__ import annotations

import json

import numpy as np

from composer.data.chorales import load_chorales
from composer.metrics.audit import teacher_audit
from composer.metrics.bach_audit import BACH_AUDIT_PATH


def bach_rates(split: str = "train") -> dict[str, float]:
    """The audit averaged over the split's chorales (each chorale weighs the same)."""
    audits = [teacher_audit(chorale) for chorale in load_chorales(split)]
    keys = list(audits[0])
    return {key: round(float(np.nanmean([a[key] for a in audits])), 4) for key in keys}


def main() -> None:
    rates = bach_rates()
    BACH_AUDIT_PATH.write_text(json.dumps(rates, indent=1) + "\n")
    print(f"wrote {BACH_AUDIT_PATH} ({len(rates)} figures)")


if __name__ == "__main__":
    main()
