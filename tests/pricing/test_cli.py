"""`timetill quote`: the explanation as text or JSON, stays files, and one-line errors with exit code 2."""

import json

import pytest

from timetill.pricing.cli import main

from .test_documents import RATE
from .test_examples import DAILY, LADDER, WEEK


@pytest.fixture
def files(tmp_path):
    def write(name, content):
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return str(path)

    return write


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_explanation_and_total(files, capsys):
    tariff = files("car.json", RATE)
    code, out, err = run(capsys, tariff, "--start", "2026-03-02T10:00", "--end", "2026-03-02T12:00")
    assert code == 0 and err == ""
    assert "Car park (rate, EUR)" in out and "First hour" in out
    assert out.splitlines()[-2].split() == ["Total", "4.30", "EUR"]
    assert "VAT 20%: net 4.30, VAT 0.86, gross 5.16" in out


def test_json_output(files, capsys):
    tariff = files("car.json", RATE)
    code, out, _ = run(
        capsys,
        tariff,
        "--start",
        "2026-03-02T10:00+01:00",
        "--end",
        "2026-03-02T12:00+01:00",
        "--group",
        "members",
        "--json",
    )
    data = json.loads(out)
    assert code == 0 and data["currency"] == "EUR" and data["total"] == "3.87" and data["group"] == "members"
    assert data["lines"][-1]["code"] == "discount"


@pytest.mark.parametrize("kind", ["csv", "json", "pairs"])
def test_stays_file_for_daily_time(files, capsys, kind):
    tariff = files("daily.json", DAILY)
    if kind == "csv":
        stays = files("stays.csv", "start,end\n" + "".join(f"{a},{b}\n" for a, b, _ in WEEK))
    elif kind == "json":
        stays = files("stays.json", [{"start": a, "end": b} for a, b, _ in WEEK])
    else:
        stays = files("stays.json", [[a, b] for a, b, _ in WEEK])
    code, out, _ = run(capsys, tariff, "--stays", stays, "--json")
    assert code == 0 and json.loads(out)["total"] == "38.00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["missing.json", "--start", "2026-03-02T10:00", "--end", "2026-03-02T11:00"],
            "missing.json: no such file",
        ),
        (["{ladder}", "--start", "2026-03-02T10:00", "--end", "2026-03-02T11:00"], "has no UTC offset"),
        (["{ladder}", "--start", "2026-03-02T10:00Z", "--end", "2026-03-02T09:00Z"], "is before start"),
        (["{ladder}", "--start", "2026-03-02T10:00Z"], "--start and --end are required"),
        (["{ladder}", "--start", "soon", "--end", "2026-03-02T09:00Z"], "start: 'soon' is not an ISO 8601"),
        (
            ["{bad}", "--start", "2026-03-02T10:00Z", "--end", "2026-03-02T11:00Z"],
            'bands[0].from: "25:00" is not a time of day',
        ),
        (["{notjson}", "--start", "2026-03-02T10:00Z", "--end", "2026-03-02T11:00Z"], "not valid JSON"),
        (["{ladder}", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["{rate}", "--stays", "{stays}"], "a rate tariff prices one stay at a time"),
        (["{daily}", "--stays", "{badstays}"], "row 1 should have two columns"),
        ([], "the following arguments are required: TARIFF.json"),
    ],
)
def test_errors_are_one_line_and_exit_2(files, capsys, args, message):
    paths = {
        "{ladder}": files("ladder.json", LADDER),
        "{rate}": files("rate.json", RATE),
        "{daily}": files("daily.json", DAILY),
        "{bad}": files(
            "bad.json",
            LADDER
            | {
                "kind": "rate",
                "unit": "1h",
                "per_unit": "1",
                "time_zone": "UTC",
                "steps": None,
                "bands": [{"from": "25:00", "to": "1:00", "per_unit": "1"}],
            },
        ),
        "{notjson}": files("notjson.json", "{"),
        "{stays}": files(
            "stays.csv", "2026-03-02T10:00,2026-03-02T11:00\n2026-03-03T10:00,2026-03-03T11:00\n"
        ),
        "{badstays}": files("bad.csv", "2026-03-02T10:00\n"),
    }
    code, out, err = run(capsys, *[paths.get(a, a) for a in args])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err
    assert "Traceback" not in err


def test_help_exits_0(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "--stays" in out
