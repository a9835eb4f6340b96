"""Text renderings (models.raci.render): exact strings for small inputs, CSV round trips."""

from __future__ import annotations

import msgspec
from hypothesis import given, settings

from models.core import LETTERS, Matrix
from models.raci.codec import decode_matrix
from models.raci.render import (
    grouped,
    in_scenario_order,
    legend,
    lint_report_csv,
    lint_report_markdown,
    lint_report_table,
    matrix_csv,
    matrix_markdown,
    matrix_table,
    meaning,
    solve_result_markdown,
    solve_results_csv,
)
from models.raci.types import (
    Activity,
    Applicability,
    Conflict,
    Diagnosis,
    Finding,
    Fix,
    LintReport,
    Objective,
    Profile,
    Relaxation,
    Role,
    Scenario,
    SolveResult,
    SolverInfo,
    Variant,
    Workload,
)

from .strategies import matrices

MATRIX: Matrix = {"strategy": {"ceo": "A", "csmo": "R"}, "kpis": {"csmo": "A/R"}}


def result(variant: Variant = "central", matrix: Matrix | None = None) -> SolveResult:
    return SolveResult(
        scenario="demo",
        variant=variant,
        status="optimal",
        message="proven optimal",
        objective=Objective(
            total=4.0,
            competence=1.0,
            workload=1.25,
            communication=0.25,
            alignment=1.0,
            consultation=0.5,
        ),
        matrix=MATRIX if matrix is None else matrix,
        workload={
            "ceo": Workload(load=0.5, capacity=2.0, utilisation=0.25),
            "csmo": Workload(load=3.0, capacity=4.0, utilisation=0.75),
            "legal": Workload(load=0.0, capacity=1.0, utilisation=0.0),
        },
        solver=SolverInfo(name="highs", version="1.7", seconds=0.125, gap=0.0),
    )


LEGEND = "Legend: R = responsible · A = accountable · A/R = accountable and responsible"


def test_matrix_markdown() -> None:
    assert matrix_markdown(MATRIX) == (
        "| Activity | ceo | csmo |\n|---|---|---|\n| strategy | A | R |\n| kpis |  | A/R |\n"
        f"\n{LEGEND}\n"
    )


def test_solve_result_table_has_summary_grid_and_load() -> None:
    lines = matrix_table(result()).splitlines()
    # every term of the objective, in its order (a term added later is listed after these)
    assert lines[1].startswith(
        "objective 4 = competence 1 + workload 1.25 + communication 0.25 + alignment 1 "
        "+ consultation 0.5"
    )
    assert lines[:1] + lines[2:] == [
        "demo · Central · optimal: proven optimal",
        "solver highs 1.7, 0.12 s, gap 0.00%",
        "",
        "Activity  ceo  csmo  legal",
        "--------  ---  ----  -----",
        "strategy  A    R     ·",
        "kpis      ·    A/R   ·",
        "--------  ---  ----  -----",
        "Load      25%  75%   0%",
        "",
        LEGEND,
    ]


def test_solve_result_markdown_lists_utilisation() -> None:
    text = solve_result_markdown(result())
    assert text.startswith("## demo — Central\n")
    assert "| strategy | A | R |  |" in text
    assert "| csmo | 3 / 4 (75%) |" in text


HEAD = (
    "\ufeffGovernance model,Activity,ID,ceo,csmo,legal\r\nvariant,name,activity,ceo,csmo,legal\r\n"
)


def test_solve_result_csv_has_every_role_of_the_scenario() -> None:
    assert solve_results_csv([result()]) == (
        f"{HEAD}central,strategy,strategy,A,R,\r\ncentral,kpis,kpis,,A/R,\r\n"
    )


def test_several_results_share_one_csv_with_a_variant_column() -> None:
    other = result("distributed", {"strategy": {"legal": "A/R"}, "kpis": {"csmo": "A/R"}})
    assert solve_results_csv([result(), other]) == (
        f"{HEAD}"
        "central,strategy,strategy,A,R,\r\n"
        "central,kpis,kpis,,A/R,\r\n"
        "distributed,strategy,strategy,,,A/R\r\n"
        "distributed,kpis,kpis,,A/R,\r\n"
    )


# as models.raci.solve.solve builds it for a model the organisation cannot run
WHY = "Hub-and-spoke needs business units (spokes) to run execution; Demo has none."
REMEDY = "Create a business unit or regional team per line of work, or choose central."
NOT_APPLICABLE = SolveResult(
    scenario="demo",
    variant="hub-and-spoke",
    status="not-applicable",
    message=(
        "Hub-and-spoke needs business units (spokes) to run execution; Demo has none — create "
        "a business unit or regional team per line of work, or choose central."
    ),
    objective=None,
    matrix={},
    workload={},
    solver=SolverInfo(name="highs", version="", seconds=0.0),
    applicability=Applicability(applicable=False, reason=WHY, remedy=REMEDY),
)
SAYS = f"not-applicable: {NOT_APPLICABLE.message}"


def test_a_model_that_does_not_apply_shows_why_instead_of_a_matrix() -> None:
    # no solver line either: no solver ran
    assert matrix_table(NOT_APPLICABLE) == f"demo · Hub-and-spoke · {SAYS}\n"
    assert solve_result_markdown(NOT_APPLICABLE) == (
        f"## demo — Hub-and-spoke\n\nStatus: **not-applicable** — {NOT_APPLICABLE.message}\n"
    )
    assert solve_results_csv([NOT_APPLICABLE]) == (
        "\ufeffGovernance model,Activity,ID\r\nvariant,name,activity\r\n"
        f'hub-and-spoke,"{SAYS}",\r\n'
    )
    assert solve_results_csv([result(), NOT_APPLICABLE]) == (
        f"{HEAD}"
        "central,strategy,strategy,A,R,\r\n"
        "central,kpis,kpis,,A/R,\r\n"
        f'hub-and-spoke,"{SAYS}",,,,\r\n'
    )
    # the note row is no activity: the file reads back as the one model with a matrix
    assert decode_matrix(solve_results_csv([result(), NOT_APPLICABLE]).encode(), "csv") == MATRIX


REPORT = LintReport(
    findings=(
        Finding("no-accountable", "error", "activity", "kpis", "Nobody, really."),
        Finding("silo", "info", "activity", "kpis", "Alone, with a | pipe."),
    ),
    errors=1,
    warnings=0,
    infos=1,
)


def test_lint_report_renderings() -> None:
    assert lint_report_csv(REPORT) == (
        "\ufeffSeverity,Code,Scope,Target,Message\r\n"
        'error,no-accountable,activity,kpis,"Nobody, really."\r\n'
        'info,silo,activity,kpis,"Alone, with a | pipe."\r\n'
    )
    assert "| info | silo | activity | kpis | Alone, with a \\| pipe. |" in lint_report_markdown(
        REPORT
    )
    table = lint_report_table(REPORT).splitlines()
    assert table[0] == "Severity  Code            Scope     Target  Message"
    assert table[-1] == "1 error, 0 warnings, 1 info"
    assert lint_report_table(LintReport((), 0, 0, 0)) == "no findings\n"


@settings(max_examples=200, deadline=None)
@given(matrices())
def test_matrix_csv_round_trips_through_decode_matrix(matrix: Matrix) -> None:
    assert decode_matrix(matrix_csv(matrix).encode(), "csv") == matrix


@settings(max_examples=100, deadline=None)
@given(matrices(min_activities=1))
def test_table_has_one_line_per_activity_and_aligned_columns(matrix: Matrix) -> None:
    lines = matrix_table(matrix).splitlines()
    has_letters = any(matrix.values())
    assert len(lines) == 2 + len(matrix) + (2 if has_letters else 0)
    if has_letters:
        assert lines[-2:] == ["", legend(matrix)]
        lines = lines[:-2]
    # the rule line's column starts are where every header cell starts
    starts = [
        i for i, ch in enumerate(lines[1]) if ch == "-" and (i == 0 or lines[1][i - 1] == " ")
    ]
    for line in lines[2:]:
        for start in starts[1:]:
            assert line[start - 2 : start] == "  "


def test_results_can_be_put_in_the_scenario_order() -> None:
    scenario = Scenario(
        id="demo",
        profile=Profile(name="Demo", headcount=10),
        roles=(Role(id="legal", name="L"), Role(id="csmo", name="C"), Role(id="ceo", name="E")),
        activities=(Activity(id="kpis", name="K"), Activity(id="strategy", name="S")),
    )
    ordered = in_scenario_order(result(), scenario)
    assert list(ordered.matrix) == ["kpis", "strategy"]
    assert list(ordered.matrix["strategy"]) == ["csmo", "ceo"]
    assert list(ordered.workload) == ["legal", "csmo", "ceo"]
    assert ordered.matrix == result().matrix


def infeasible() -> SolveResult:
    """An infeasible result with a conflict and two fixes, the second stopped by the time."""
    drop = Relaxation("fixed[ceo,kpis]", 1.0, "Drop the rule 'CEO holds A on KPIs'.", 1.0)
    lift = Relaxation(
        "capacity[csmo]", 0.5, "Raise the capacity of CSMO from 4 to 4.5 person-days.", 0.25
    )
    work = {"csmo": Workload(load=3.0, capacity=4.0, utilisation=0.75)}
    return msgspec.structs.replace(
        result(),
        status="infeasible",
        message="no matrix satisfies every hard rule",
        objective=None,
        matrix={},
        workload={},
        diagnosis=Diagnosis(
            summary="No matrix satisfies every hard rule. Two rules name an accountable.",
            relaxations=(lift,),
            conflict=Conflict("Two rules name an accountable.", ("a", "b"), ("x", "y")),
            fixes=(
                Fix(
                    relaxations=(lift,),
                    cost=0.25,
                    status="optimal",
                    message="proven optimal",
                    objective=result().objective,
                    matrix={"kpis": {"csmo": "A/R"}},
                    workload=work,
                ),
                Fix(
                    relaxations=(drop,),
                    cost=1.0,
                    status="error",
                    message="the time limit of 0.1 s ran out before a matrix was found",
                ),
            ),
        ),
    )


def test_an_infeasible_result_shows_each_fix_and_the_matrix_it_leads_to() -> None:
    assert matrix_table(infeasible()).splitlines() == [
        "demo · Central · infeasible: no matrix satisfies every hard rule",
        "solver highs 1.7, 0.12 s, gap 0.00%",
        "diagnosis: No matrix satisfies every hard rule. Two rules name an accountable.",
        "fix 1 (cost 0.25): optimal matrix, objective 4",
        "  - Raise the capacity of CSMO from 4 to 4.5 person-days.",
        "fix 2 (cost 1): no matrix, error: the time limit of 0.1 s ran out before a matrix "
        "was found",
        "  - Drop the rule 'CEO holds A on KPIs'.",
        "",
        "with fix 1:",
        "Activity  csmo",
        "--------  ----",
        "kpis      A/R",
        "--------  ----",
        "Load      75%",
    ]
    markdown = solve_result_markdown(infeasible())
    assert "- fix 1 (cost 0.25): optimal matrix, objective 4\n" in markdown
    assert "  - Drop the rule 'CEO holds A on KPIs'.\n" in markdown
    assert "### With fix 1\n\n| Activity | csmo |\n|---|---|\n| kpis | A/R |\n" in markdown
    assert "| csmo | 3 / 4 (75%) |" in markdown


def test_a_diagnosis_without_fixes_lists_its_relaxations() -> None:
    # what a server from before fixes existed sends
    old = msgspec.structs.replace(infeasible().diagnosis, conflict=None, fixes=())
    lines = matrix_table(msgspec.structs.replace(infeasible(), diagnosis=old)).splitlines()
    assert lines[-1] == "  - Raise the capacity of CSMO from 4 to 4.5 person-days."


def test_csv_never_hands_a_spreadsheet_a_formula() -> None:
    # a client's CSV may name a role "=2+3"; lint echoes it, Excel would evaluate it
    finding = Finding("no-responsibility", "info", "role", "=2+3", "Role '=2+3' has no R.")
    report = LintReport(findings=(finding,), errors=0, warnings=0, infos=1)
    assert (
        lint_report_csv(report).splitlines()[1]
        == "info,no-responsibility,role,'=2+3,Role '=2+3' has no R."
    )
    assert matrix_csv({"@sum": {"-1": "A/R"}}) == (
        "\ufeffActivity,ID,'-1\r\nname,activity,'-1\r\n @ sum,'@sum,A/R\r\n"
    )


# Two units' rows of content, listed apart as a client might; the works council consents.
PER_UNIT: Matrix = {
    "content@bu-a": {"bu-a": "A/R", "wc": "S"},
    "strategy": {"csmo": "A/R", "wc": "C"},
    "content@bu-b": {"bu-b": "A/R", "wc": "S"},
}


def test_every_letter_has_a_meaning_and_s_is_consent() -> None:
    assert all(meaning(letter) and meaning(letter, "de") for letter in LETTERS)
    assert legend({"x": {"wc": "S"}}) == "Legend: S = consent: must agree before introduction"
    assert legend({"x": {}}) == ""


def test_per_unit_rows_follow_each_other_and_read_as_activity_at_unit() -> None:
    assert list(grouped(PER_UNIT)) == ["content@bu-a", "content@bu-b", "strategy"]
    assert matrix_table(PER_UNIT).splitlines() == [
        "Activity        bu-a  wc  bu-b  csmo",
        "--------------  ----  --  ----  ----",
        "content @ bu-a  A/R   S   ·     ·",
        "content @ bu-b  ·     S   A/R   ·",
        "strategy        ·     C   ·     A/R",
        "",
        "Legend: C = consulted · A/R = accountable and responsible · "
        "S = consent: must agree before introduction",
    ]
    assert "| content @ bu-b |  | S | A/R |  |" in matrix_markdown(PER_UNIT)


def test_csv_writes_per_unit_row_ids_as_they_are_and_reads_them_back() -> None:
    text = matrix_csv(PER_UNIT)
    assert text == (
        "\ufeffActivity,ID,bu-a,wc,bu-b,csmo\r\n"
        "name,activity,bu-a,wc,bu-b,csmo\r\n"
        "content @ bu-a,content@bu-a,A/R,S,,\r\n"
        "content @ bu-b,content@bu-b,,S,A/R,\r\n"
        "strategy,strategy,,C,,A/R\r\n"
    )
    assert decode_matrix(text.encode(), "csv") == PER_UNIT
    several = solve_results_csv([result("hub-and-spoke", PER_UNIT)])
    assert [line.split(",")[2] for line in several.splitlines()[2:]] == list(grouped(PER_UNIT))


def test_per_unit_rows_stand_where_their_activity_is_in_the_scenario() -> None:
    scenario = Scenario(
        id="demo",
        profile=Profile(name="Demo", headcount=10),
        roles=(
            Role(id="csmo", name="C"),
            Role(id="bu-b", name="B", kind="business_unit"),
            Role(id="bu-a", name="A", kind="business_unit"),
        ),
        activities=(Activity(id="strategy", name="S"), Activity(id="content", name="C")),
    )
    # the optimiser's order (by id) would put content@bu-a first; the scenario's puts
    # strategy first, then content's rows in the order of the units among the roles
    ordered = in_scenario_order(result("hub-and-spoke", PER_UNIT), scenario)
    assert list(ordered.matrix) == ["strategy", "content@bu-b", "content@bu-a"]
