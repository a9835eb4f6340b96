"""Text renderings (models.raci.render): exact strings for small inputs, CSV round trips."""

from __future__ import annotations

import msgspec
from hypothesis import given, settings

from models.core import Matrix
from models.raci.codec import decode_matrix
from models.raci.render import (
    in_scenario_order,
    lint_report_csv,
    lint_report_markdown,
    lint_report_table,
    matrix_csv,
    matrix_markdown,
    matrix_table,
    solve_result_csv,
    solve_result_markdown,
    solve_results_csv,
)
from models.raci.types import (
    Activity,
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
            total=3.5, competence=1.0, workload=1.25, communication=0.25, alignment=1.0
        ),
        matrix=MATRIX if matrix is None else matrix,
        workload={
            "ceo": Workload(load=0.5, capacity=2.0, utilisation=0.25),
            "csmo": Workload(load=3.0, capacity=4.0, utilisation=0.75),
            "legal": Workload(load=0.0, capacity=1.0, utilisation=0.0),
        },
        solver=SolverInfo(name="highs", version="1.7", seconds=0.125, gap=0.0),
    )


def test_matrix_markdown() -> None:
    assert matrix_markdown(MATRIX) == (
        "| activity | ceo | csmo |\n|---|---|---|\n| strategy | A | R |\n| kpis |  | A/R |\n"
    )


def test_solve_result_table_has_summary_grid_and_load() -> None:
    assert matrix_table(result()).splitlines() == [
        "demo · central · optimal: proven optimal",
        "objective 3.5 = competence 1 + workload 1.25 + communication 0.25 + alignment 1",
        "solver highs 1.7, 0.12 s, gap 0.00%",
        "",
        "activity  ceo  csmo  legal",
        "--------  ---  ----  -----",
        "strategy  A    R     ·",
        "kpis      ·    A/R   ·",
        "--------  ---  ----  -----",
        "load      25%  75%   0%",
    ]


def test_solve_result_markdown_lists_utilisation() -> None:
    text = solve_result_markdown(result())
    assert text.startswith("## demo — central\n")
    assert "| strategy | A | R |  |" in text
    assert "| csmo | 3 / 4 (75%) |" in text


def test_solve_result_csv_has_every_role_of_the_scenario() -> None:
    assert solve_result_csv(result()) == (
        "activity,ceo,csmo,legal\r\nstrategy,A,R,\r\nkpis,,A/R,\r\n"
    )


def test_several_results_share_one_csv_with_a_variant_column() -> None:
    other = result("distributed", {"strategy": {"legal": "A/R"}, "kpis": {"csmo": "A/R"}})
    assert solve_results_csv([result(), other]) == (
        "variant,activity,ceo,csmo,legal\r\n"
        "central,strategy,A,R,\r\n"
        "central,kpis,,A/R,\r\n"
        "distributed,strategy,,,A/R\r\n"
        "distributed,kpis,,A/R,\r\n"
    )


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
        "severity,code,scope,target,message\r\n"
        'error,no-accountable,activity,kpis,"Nobody, really."\r\n'
        'info,silo,activity,kpis,"Alone, with a | pipe."\r\n'
    )
    assert "| info | silo | activity | kpis | Alone, with a \\| pipe. |" in lint_report_markdown(
        REPORT
    )
    table = lint_report_table(REPORT).splitlines()
    assert table[0] == "severity  code            scope     target  message"
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
    assert len(lines) == 2 + len(matrix)
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
        "demo · central · infeasible: no matrix satisfies every hard rule",
        "solver highs 1.7, 0.12 s, gap 0.00%",
        "diagnosis: No matrix satisfies every hard rule. Two rules name an accountable.",
        "fix 1 (cost 0.25): optimal matrix, objective 3.5",
        "  - Raise the capacity of CSMO from 4 to 4.5 person-days.",
        "fix 2 (cost 1): no matrix, error: the time limit of 0.1 s ran out before a matrix "
        "was found",
        "  - Drop the rule 'CEO holds A on KPIs'.",
        "",
        "with fix 1:",
        "activity  csmo",
        "--------  ----",
        "kpis      A/R",
        "--------  ----",
        "load      75%",
    ]
    markdown = solve_result_markdown(infeasible())
    assert "- fix 1 (cost 0.25): optimal matrix, objective 3.5\n" in markdown
    assert "  - Drop the rule 'CEO holds A on KPIs'.\n" in markdown
    assert "### With fix 1\n\n| activity | csmo |\n|---|---|\n| kpis | A/R |\n" in markdown
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
    assert matrix_csv({"@sum": {"-1": "A/R"}}) == "activity,'-1\r\n'@sum,A/R\r\n"
