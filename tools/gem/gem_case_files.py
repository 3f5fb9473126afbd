"""Writes a recorded GEM case the way shared/reference and shared/gem-envs hold it: case.json (indented, newline at the
end) and trajectory.csv (a header line, then one line per row), shared by the make_*.py recorders in this folder."""
import json
import os


def write_case(folder, doc, columns, rows, cell):
    """Creates folder and writes doc as case.json and rows (formatted by cell(value) -> str) under columns as trajectory.csv."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "case.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    with open(os.path.join(folder, "trajectory.csv"), "w") as f:
        f.write(",".join(columns) + "\n")
        for r in rows:
            f.write(",".join(cell(v) for v in r) + "\n")
