"""Calibrated scores: the weighted mean corrected for each assessor's severity.

Panels score different subsets of a category, so one harsh assessor drags down every entry
they see. The model (additive severity, the two-way fixed-effects model of rater studies):

    total of the sheet of assessor a on entry e  =  quality(e) + severity(a) + noise

fitted by least squares over the category's counted sheets of the round (SciPy's sparse
`lsqr`). Within each group of entries and assessors linked by shared sheets, severities are
measured from the typical assessor's — the median over the group's sheets — so calibrated
scores stay on the 0–100 scale of the totals and one harsh assessor does not make everyone
else look lenient; the calibrated score of an entry is the mean of its sheets, each corrected by its
assessor's severity (which is the fitted quality, least squares making the residuals of an
entry sum to zero), clipped to 0–100.

Unlike per-assessor z-scores, this does not assume every assessor saw entries of the same
quality: an assessor who saw only strong entries is not taken for a lenient one. What it
cannot do: compare groups that share no assessor (each group keeps its own mean), or tell
severity from quality for an assessor whose entries nobody else scored (their severity is
then 0 and their totals are taken as they are).
"""

from decimal import Decimal

import numpy as np
from django.utils.translation import gettext as _
from scipy.sparse import coo_array, csr_array
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import lsqr

CENT = Decimal("0.01")


def method() -> str:
    """The method in a sentence, for the ranking page and the spreadsheet (Thai)."""
    return _(
        "คะแนนปรับมาตรฐาน: ประมาณความเข้มงวดของผู้ตรวจประเมินแต่ละคนจากผลงานที่ผู้ตรวจหลายคนให้คะแนนร่วมกัน "
        "(แบบจำลอง คะแนน = คุณภาพผลงาน + ความเข้มงวดของผู้ตรวจ "
        "ด้วยวิธีกำลังสองน้อยที่สุด ภายในประเภทและรอบเดียวกัน) "
        "แล้วหักความเข้มงวดออกจากคะแนนของแต่ละแบบก่อนเฉลี่ย "
        "โดยวัดเทียบกับผู้ตรวจประเมินทั่วไป (ค่ามัธยฐาน) คะแนนจึงอยู่บนสเกล 0–100 เดิม"
    )


def calibrate(sheets: list[tuple[int, int, Decimal]]) -> dict[int, Decimal]:
    """(entry id, assessor id, weighted total) of every counted sheet → entry id → calibrated
    score. Entries without a sheet are absent."""
    if not sheets:
        return {}
    entry_ids = sorted({entry for entry, _a, _t in sheets})
    assessor_ids = sorted({assessor for _e, assessor, _t in sheets})
    e_index = {pk: i for i, pk in enumerate(entry_ids)}
    a_index = {pk: i for i, pk in enumerate(assessor_ids)}
    n_e, n_a, n_s = len(entry_ids), len(assessor_ids), len(sheets)
    rows = np.arange(n_s)
    e_of = np.array([e_index[e] for e, _a, _t in sheets])
    a_of = np.array([a_index[a] for _e, a, _t in sheets])
    totals = np.array([float(t) for _e, _a, t in sheets])
    design = csr_array(
        (np.ones(2 * n_s), (np.concatenate([rows, rows]), np.concatenate([e_of, n_e + a_of]))),
        shape=(n_s, n_e + n_a),
    )
    solution = lsqr(design, totals, atol=1e-10, btol=1e-10, iter_lim=10 * (n_e + n_a))[0]
    severity = solution[n_e:]
    # Within each linked group (entries and assessors sharing sheets), severity 0 is the
    # typical sheet's: the median, which one outlying assessor does not move.
    graph = coo_array((np.ones(n_s), (e_of, n_e + a_of)), shape=(n_e + n_a, n_e + n_a))
    _count, group = connected_components(graph, directed=False)
    sheet_group = group[e_of]
    for g in np.unique(sheet_group):
        in_group = sheet_group == g
        severity[np.unique(a_of[in_group])] -= np.median(severity[a_of[in_group]])
    corrected = totals - severity[a_of]
    sums = np.bincount(e_of, weights=corrected, minlength=n_e)
    counts = np.bincount(e_of, minlength=n_e)
    means = np.clip(sums / counts, 0, 100)
    return {
        entry_ids[i]: Decimal(str(round(float(means[i]), 2))).quantize(CENT) for i in range(n_e)
    }
