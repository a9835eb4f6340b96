"""The sentences of Gremium's outputs, in English and German: one catalogue of templates.

:mod:`models.labels` holds the words (headings, column titles, statuses); this module holds
the *sentences* the models write — lint findings, explanations of cells and runner-ups,
diagnoses, the recommendation's reasons, trade-offs and summary, stability, what-if and path
sentences, the budget notes and the discussion's verdicts. Each has a stable key and a
template per language in :data:`MESSAGES`; :func:`say` fills the template of the current
language with the named parameters. Machine-readable codes (lint codes, statuses, variants,
ids) never change with the language; only the text does. The scenario's names are inserted
as written.

The language
    A context variable (:data:`LANGUAGE`), set at the edge with :func:`speaking` — the command
    line for ``--lang``, the service around each job for ``Accept-Language`` — and read by
    :func:`say` wherever a sentence is produced. This is gettext's and Django's pattern: the
    models keep their signatures and stay pure (no I/O, no web), and nothing threads ``lang``
    through every function. A context variable is per thread and per asyncio task, so
    concurrent requests never see each other's language; a job that crosses into a worker
    process takes it along with :func:`spoken`. Outside any :func:`speaking` the language is
    English (:data:`~models.labels.DEFAULT_LANG`).

Numbers
    In German sentences a float parameter gets a decimal comma and a thousands point
    (``0.62`` → ``0,62``, ``1,000`` → ``1.000``) and a percentage a space before ``%``
    (``62%`` → ``62 %``); an integer only its thousands point (``{draws:,}``); strings are
    left alone, and JSON numbers are never touched.

>>> say("lint.no-responsible", who=say("lint.who.activity", id="kpis"))
"Activity 'kpis' has nobody responsible; give at least one role an R."
>>> with speaking("de"):
...     say("lint.no-responsible", who=say("lint.who.activity", id="kpis"))
"Die Tätigkeit 'kpis' hat keine durchführende Rolle (R); mindestens einer Rolle ein R zuweisen."
>>> with speaking("de"):
...     say("explain.fit", what="x", why="y", fit=0.625)
'x: y (Kompetenzpassung 0,62).'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from models.labels import DEFAULT_LANG, LANGS, Lang

P = ParamSpec("P")
T = TypeVar("T")

#: The language of the sentences produced in this context (see the module docstring).
LANGUAGE: ContextVar[Lang] = ContextVar("gremium_language", default=DEFAULT_LANG)


def current() -> Lang:
    """The language sentences are written in here and now."""
    return LANGUAGE.get()


@contextmanager
def speaking(lang: Lang) -> Iterator[None]:
    """Write every sentence in ``lang`` inside the ``with`` block."""
    token = LANGUAGE.set(lang)
    try:
        yield
    finally:
        LANGUAGE.reset(token)


def spoken(lang: Lang, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` speaking ``lang``: a module-level function, so a pool can send
    it to a worker process with the language the request asked for."""
    with speaking(lang):
        return fn(*args, **kwargs)


_GERMAN_DIGITS = str.maketrans(".,", ",.")


class _GermanFloat(float):
    """A float that formats itself the German way: ``0,62``, ``1.234,5``, ``62 %``."""

    def __format__(self, spec: str) -> str:
        text = float.__format__(self, spec).translate(_GERMAN_DIGITS)
        return text[:-1] + " %" if spec.endswith("%") else text


class _GermanInt(int):
    """An int whose thousands separator (``{n:,}``) is a point: ``1.000``."""

    def __format__(self, spec: str) -> str:
        text = int.__format__(self, spec)
        return text.translate(_GERMAN_DIGITS) if "," in spec else text


def _localised(value: Any, lang: Lang) -> Any:
    """``value`` as it formats in ``lang`` (numbers only; ``str.format`` does the rest)."""
    if lang != "de" or isinstance(value, bool):
        return value
    if isinstance(value, float):
        return _GermanFloat(value)
    if isinstance(value, int):
        return _GermanInt(value)
    return value


def template(key: str, lang: Lang) -> str:
    """The template of ``key`` in ``lang``; ``KeyError`` for a key the catalogue lacks."""
    return MESSAGES[key][LANGS.index(lang)]


def say(key: str, /, *, lang: Lang | None = None, **params: Any) -> str:
    """The sentence ``key`` in ``lang`` (None: the current language), filled with
    ``params``."""
    lang = LANGUAGE.get() if lang is None else lang
    return template(key, lang).format(**{k: _localised(v, lang) for k, v in params.items()})


def number(value: float, spec: str = "", lang: Lang | None = None) -> str:
    """``value`` formatted by ``spec`` for ``lang`` (None: the current language; ``0,62`` in
    German)."""
    return format(_localised(float(value), LANGUAGE.get() if lang is None else lang), spec)


def model(variant: str) -> str:
    """A governance model named inside a sentence: its id in English ("hub-and-spoke"), its
    name in German ("Hub-and-Spoke")."""
    return say(f"model.{variant}")


def join(parts: Sequence[str]) -> str:
    """Items as a list read out: "A", "A and B", "A, B and C" ("A, B und C" in German)."""
    if len(parts) <= 1:
        return "".join(parts)
    return say("join", head=", ".join(parts[:-1]), last=parts[-1])


def join_and(parts: Sequence[str]) -> str:
    """Amounts added up: "A and B and C" in English, "A, B und C" in German."""
    if len(parts) <= 1:
        return "".join(parts)
    return say("and.sep").join(parts[:-1]) + say("and") + parts[-1]


def count(n: int, noun: str) -> str:
    """``n`` and the noun ``noun.<noun>`` in the singular or the plural: "1 role", "2 Rollen"."""
    one, many = say(f"noun.{noun}").split("|")
    return f"{n} {one if n == 1 else many}"


def literals(key: str) -> tuple[str, ...]:
    """Per language, the text of ``key``'s template before its first parameter: what a
    sentence of that kind starts with, whichever language wrote it."""
    return tuple(template(key, lang).split("{", 1)[0] for lang in LANGS)


#: key -> (English, German). Parameters in braces; both languages use the same ones.
MESSAGES: dict[str, tuple[str, str]] = {
    # ----------------------------------------------------------------- shared pieces
    "join": ("{head} and {last}", "{head} und {last}"),
    "noun.role": ("role|roles", "Rolle|Rollen"),
    "no-letter": ("no letter", "kein Buchstabe"),
    # ----------------------------------------------------------------- lint (models.raci.lint)
    "lint.who.activity": ("Activity '{id}'", "Die Tätigkeit '{id}'"),
    "lint.who.role": ("Role '{id}'", "Die Rolle '{id}'"),
    "lint.no-accountable": (
        "{who} has nobody accountable; name exactly one A.",
        "{who} hat keine verantwortliche Rolle (A); genau eine Rolle als A festlegen.",
    ),
    "lint.several-accountable": (
        "{who} has {a} accountable roles ({holders}); keep exactly one A.",
        "{who} hat {a} verantwortliche Rollen ({holders}); nur genau ein A beibehalten.",
    ),
    "lint.no-responsible": (
        "{who} has nobody responsible; give at least one role an R.",
        "{who} hat keine durchführende Rolle (R); mindestens einer Rolle ein R zuweisen.",
    ),
    "lint.many-responsible": (
        "{who} has {r} responsible roles; consider splitting the task.",
        "{who} hat {r} durchführende Rollen; eine Aufteilung der Aufgabe prüfen.",
    ),
    "lint.many-consulted": (
        "{who} consults {roles}{veto}; decisions will be slow.",
        "{who} konsultiert {roles}{veto}; Entscheidungen werden sich verzögern.",
    ),
    "lint.many-consulted.veto": (
        " ({consents} of them must consent)",
        " (davon {consents} mit Zustimmungsrecht)",
    ),
    "lint.many-informed": (
        "{who} informs {roles}; check who really needs to know.",
        "{who} informiert {roles}; prüfen, wer die Information wirklich braucht.",
    ),
    "lint.silo": (
        "{who} consults and informs nobody; it may be done in a silo.",
        "{who} bezieht niemanden ein und informiert niemanden; sie droht im Silo zu entstehen.",
    ),
    "lint.accountable-bottleneck": (
        "{who} is accountable for {a} of {n} activities; it may become a bottleneck.",
        "{who} ist für {a} von {n} Tätigkeiten verantwortlich; sie kann zum Engpass werden.",
    ),
    "lint.responsible-overload": (
        "{who} is responsible for {r} of {n} activities; check its capacity.",
        "{who} führt {r} von {n} Tätigkeiten durch; ihre Kapazität prüfen.",
    ),
    "lint.involved-everywhere": (
        "{who} holds a letter on {involved} of {n} activities; is it needed everywhere?",
        "{who} ist an {involved} von {n} Tätigkeiten beteiligt; wird sie überall gebraucht?",
    ),
    "lint.no-responsibility": (
        "{who} has {held}; is the role needed here?",
        "{who} hat {held}; wird die Rolle hier gebraucht?",
    ),
    "lint.no-responsibility.none": ("no letter at all", "überhaupt keinen Buchstaben"),
    "lint.no-responsibility.no-ra": ("no R and no A", "weder R noch A"),
    "lint.activity-missing": (
        "Activity '{id}' of the scenario is missing from the matrix.",
        "Die Tätigkeit '{id}' des Szenarios fehlt in der Matrix.",
    ),
    "lint.consent-law": (
        "§87(1) BetrVG: the works council must agree before it is introduced; "
        "being informed is not consent.",
        "§87 Abs. 1 BetrVG: Der Betriebsrat muss vor der Einführung zustimmen; "
        "informiert zu werden ist keine Zustimmung.",
    ),
    "lint.consent-missing": (
        "Activity '{row}' can monitor or bind employees, but the works council holds {held}, "
        "not S (consent). {law}",
        "Die Tätigkeit '{row}' kann Beschäftigte überwachen oder binden, doch beim Betriebsrat "
        "steht {held} statt S (Zustimmung). {law}",
    ),
    "lint.rule-violated": (
        "The scenario rule says {rule}, but it holds {held}{where}.",
        "Die Szenarioregel verlangt: {rule}; tatsächlich steht dort {held}{where}.",
    ),
    "lint.rule-violated.where": (" on '{row}'", " (Zeile '{row}')"),
    "lint.rule.I": (
        "'{role}' must be involved in '{activity}'",
        "'{role}' muss an '{activity}' beteiligt sein",
    ),
    "lint.rule.C": (
        "'{role}' must be at least consulted on '{activity}'",
        "'{role}' muss zu '{activity}' mindestens konsultiert werden",
    ),
    "lint.rule.R": (
        "'{role}' must be responsible for '{activity}'",
        "'{role}' muss '{activity}' durchführen",
    ),
    "lint.rule.not-accountable": (
        "'{role}' must not be accountable for '{activity}'",
        "'{role}' darf für '{activity}' nicht verantwortlich sein",
    ),
    "lint.rule.fixed": (
        "'{role}' must hold {letter} on '{activity}'",
        "'{role}' muss bei '{activity}' {letter} haben",
    ),
    "lint.king-without-land": (
        "The hub '{hub}' {line}, not to the board, and executive sponsorship is {sponsorship}: "
        "a king without land. Give it a reporting line to the board, or the board's explicit "
        "backing.",
        "Der Hub '{hub}' {line}, nicht an die Geschäftsführung, und die Rückendeckung der "
        "Geschäftsführung ist {sponsorship}: ein König ohne Land. Eine Berichtslinie zur "
        "Geschäftsführung einrichten oder deren ausdrückliche Unterstützung sichern.",
    ),
    "lint.reports-to": ("reports to '{boss}'", "berichtet an '{boss}'"),
    "lint.reports-to-nobody": ("reports to nobody", "berichtet an niemanden"),
    "sponsorship.none": ("none", "nicht vorhanden"),
    "sponsorship.weak": ("weak", "schwach"),
    "lint.foreign-unit": (
        "Business unit '{role}' holds {letter} on '{row}', a row of unit '{owner}'; each unit "
        "owns its own work.",
        "Der Fachbereich '{role}' hat {letter} auf '{row}', einer Zeile des Fachbereichs "
        "'{owner}'; jeder Fachbereich verantwortet seine eigene Arbeit.",
    ),
    "lint.empty-matrix": ("The matrix has no activities.", "Die Matrix enthält keine Tätigkeiten."),
    # ------------------------------------------- hard rules (models.raci.objective, variants)
    "rule.involved.I": (
        "{who} must be involved in {what}",
        "{who} muss an „{what}“ beteiligt sein",
    ),
    "rule.involved.C": (
        "{who} must be at least consulted on {what}",
        "{who} muss zu „{what}“ mindestens konsultiert werden",
    ),
    "rule.involved.R": ("{who} must be responsible for {what}", "{who} muss „{what}“ durchführen"),
    "rule.not-accountable": (
        "{who} must not be accountable for {what}",
        "{who} darf für „{what}“ nicht verantwortlich sein",
    ),
    "rule.fixed": ("{who} holds {letter} on {what}", "{who} hat {letter} bei „{what}“"),
    "rule.consent": (
        "the works council consents (S) to {activity} before it is introduced "
        "(co-determination, §87(1) BetrVG)",
        "der Betriebsrat stimmt „{activity}“ vor der Einführung zu (S; Mitbestimmung nach "
        "§87 Abs. 1 BetrVG)",
    ),
    "rule.board-heard": (
        "the board is at least consulted on {activity} (green light from the top)",
        "die Geschäftsführung wird zu „{activity}“ mindestens konsultiert (grünes Licht von oben)",
    ),
    "rule.shared": (
        "{role} is not accountable for the shared {activity} (a unit decides its own work, not "
        "the other units')",
        "{role} ist für die gemeinsame Tätigkeit „{activity}“ nicht verantwortlich (ein "
        "Fachbereich entscheidet über die eigene Arbeit, nicht über die anderer)",
    ),
    "rule.own-unit": (
        "{role} holds no letter on another unit's {activity}",
        "{role} hat keinen Buchstaben bei „{activity}“ eines anderen Fachbereichs",
    ),
    "rule.alike": (
        "{names} hold the same letter on {activity}",
        "{names} haben bei „{activity}“ denselben Buchstaben",
    ),
    "violation.accountable": (
        "{activity} needs exactly one accountable role",
        "„{activity}“ braucht genau eine verantwortliche Rolle",
    ),
    "violation.responsible": (
        "{activity} needs a responsible role",
        "„{activity}“ braucht eine durchführende Rolle",
    ),
    "violation.capacity": (
        "{role} is loaded beyond capacity",
        "{role} ist über die Kapazität hinaus ausgelastet",
    ),
    "structure.hub-accountable": (
        "a hub role is accountable for {activity}",
        "eine Hub-Rolle ist für „{activity}“ verantwortlich",
    ),
    "structure.unit-responsible": (
        "the unit itself is responsible for {activity}",
        "der Fachbereich selbst führt „{activity}“ durch",
    ),
    "structure.employees-responsible": (
        "the employees are responsible for {activity}",
        "die Beschäftigten führen „{activity}“ durch",
    ),
    "structure.hub-consulted-only": (
        "a hub role is at most consulted or informed on {activity}",
        "eine Hub-Rolle wird zu „{activity}“ höchstens konsultiert oder informiert",
    ),
    "structure.legal-reviews": (
        "Legal itself performs the {activity} (R stays with Legal)",
        "die Rechtsabteilung führt „{activity}“ selbst durch (R bleibt bei der Rechtsabteilung)",
    ),
    "structure.unit-accountable": (
        "the unit itself is accountable for {activity}",
        "der Fachbereich selbst ist für „{activity}“ verantwortlich",
    ),
    "structure.unit-or-employees-responsible": (
        "the unit itself or the employees are responsible for {activity}",
        "der Fachbereich selbst oder die Beschäftigten führen „{activity}“ durch",
    ),
    "structure.umbrella-accountable": (
        "the umbrella hub is accountable for {activity}",
        "der übergeordnete Hub ist für „{activity}“ verantwortlich",
    ),
    "structure.regional-accountable": (
        "the unit or its regional hub is accountable for {activity}",
        "der Fachbereich oder sein regionaler Hub ist für „{activity}“ verantwortlich",
    ),
    "structure.regional-responsible": (
        "the unit or its regional hub is responsible for {activity}",
        "der Fachbereich oder sein regionaler Hub führt „{activity}“ durch",
    ),
    "structure.employees-not-accountable": (
        "the employees (a collective) are not accountable for {activity}",
        "die Beschäftigten (als Kollektiv) sind für „{activity}“ nicht verantwortlich",
    ),
    "structure.employees-informed-only": (
        "in a central model the employees are at most consulted or informed on {activity}",
        "im zentralen Modell werden die Beschäftigten zu „{activity}“ höchstens konsultiert "
        "oder informiert",
    ),
    "structure.agency-not-accountable": (
        "an external agency is not accountable for {activity}",
        "eine externe Agentur ist für „{activity}“ nicht verantwortlich",
    ),
    # ------------------------------------------------- explanations (models.raci.explain)
    "and": (" and ", " und "),
    "and.sep": (" and ", ", "),
    "explain.overload": (
        "; {other} would overload {role} ({load:.1f} of {capacity:g} person-days per month)",
        "; {other} würde {role} überlasten ({load:.1f} von {capacity:g} Personentagen pro Monat)",
    ),
    "explain.amount": ("{amount:.2f} {term}", "{amount:.2f} {term}"),
    "explain.saves": ("saves {items}", "spart {items}"),
    "explain.loses": ("loses {items}", "kostet {items}"),
    "explain.trade": ("; {held} instead of {other} {parts}", "; {held} statt {other} {parts}"),
    "explain.template": ("the {variant} template", "die Vorlage für {variant}"),
    "explain.holds-none": (
        "{role} holds no letter on {activity}",
        "{role} hat keinen Buchstaben bei „{activity}“",
    ),
    "explain.holds": ("{role} is {letter} on {activity}", "{role} hat {letter} bei „{activity}“"),
    "explain.hard-rule": ("a hard rule says {rule}", "eine harte Regel verlangt: {rule}"),
    "explain.empty-wanted": (
        "{template} asks for {wanted}, but leaving it empty lowers the total",
        "{template} sieht {wanted} vor, doch ein leeres Feld senkt die Gesamtkosten",
    ),
    "explain.stake": (
        "it has a stake ({stake:.2f}), but hearing it would cost more than it covers",
        "die Rolle ist betroffen ({stake:.2f}), doch ihre Anhörung kostet mehr, als sie einbringt",
    ),
    "explain.as-template": (
        "{template} asks for {letter} here",
        "{template} sieht hier {letter} vor",
    ),
    "explain.beyond-template": (
        "{template} has no letter here, but it lowers the total",
        "{template} sieht hier keinen Buchstaben vor, doch er senkt die Gesamtkosten",
    ),
    "explain.instead": (
        "{template} asks for {wanted}, but {letter} lowers the total",
        "{template} sieht {wanted} vor, doch {letter} senkt die Gesamtkosten",
    ),
    "explain.fit": (
        "{what}: {why} (competence fit {fit:.2f}).",
        "{what}: {why} (Kompetenzpassung {fit:.2f}).",
    ),
    "explain.exact-none": (
        "Exact: no other role can be accountable for {activity} under the rules (without "
        "{name} as A, no matrix satisfies every hard rule).",
        "Exakt: Keine andere Rolle kann unter den Regeln für „{activity}“ verantwortlich sein "
        "(ohne {name} als A erfüllt keine Matrix alle harten Regeln).",
    ),
    "explain.exact": (
        "Exact (re-solved): without {name} as A, {runner} would be accountable and the best "
        "matrix costs {increase:.3f} more.",
        "Exakt (neu gelöst): Ohne {name} als A wäre {runner} verantwortlich, und die beste "
        "Matrix kostet {increase:.3f} mehr.",
    ),
    "explain.local-none": (
        "Local estimate: no other role can take A on {activity} without breaking a hard rule "
        "while the rest of the matrix stays as it is.",
        "Lokale Schätzung: Keine andere Rolle kann bei „{activity}“ das A übernehmen, ohne eine "
        "harte Regel zu verletzen, solange der Rest der Matrix unverändert bleibt.",
    ),
    "explain.local": (
        "Local estimate (rest of the matrix unchanged, an upper bound): moving A from {holder} "
        "to {runner} costs {delta:.3f} more.",
        "Lokale Schätzung (Rest der Matrix unverändert, eine Obergrenze): A von {holder} auf "
        "{runner} zu verlagern kostet {delta:.3f} mehr.",
    ),
    # --------------------------------------------------- budget notes (models.raci.solve)
    "budget.gap": (" (gap {gap:.2%})", " (Lücke {gap:.2%})"),
    "budget.unproven": (
        "the solve stopped before proving optimality{gap}",
        "der Solver wurde vor dem Optimalitätsbeweis angehalten{gap}",
    ),
    "budget.no-matrix": (
        "the solve found no matrix in time",
        "der Solver fand rechtzeitig keine Matrix",
    ),
    "budget.estimated": (
        "{estimated} of {total} runner-ups estimated, not re-solved",
        "{estimated} von {total} Alternativen geschätzt, nicht neu gelöst",
    ),
    "budget.diagnosis": ("the diagnosis was cut short", "die Diagnose wurde vorzeitig beendet"),
    "budget.note": ("{variant}: {cuts}.", "{variant}: {cuts}."),
    # --------------------------------------------------------- diagnoses (models.raci.diagnose)
    "diagnose.days.one": ("{value:g} person-day per month", "{value:g} Personentag pro Monat"),
    "diagnose.days": ("{value:g} person-days per month", "{value:g} Personentage pro Monat"),
    "diagnose.capacity-is": (
        "the capacity of {role} is {days}",
        "die Kapazität von {role} beträgt {days}",
    ),
    "diagnose.the-capacity-of": ("the capacity of {role}", "die Kapazität von {role}"),
    "diagnose.more": ("{count} more", "{count} weitere"),
    "diagnose.nothing-holds": (
        "Even without any rule or capacity no matrix exists: every activity needs one "
        "accountable and one responsible role.",
        "Selbst ohne jede Regel und Kapazität gibt es keine Matrix: Jede Tätigkeit braucht eine "
        "verantwortliche und eine durchführende Rolle.",
    ),
    "diagnose.not-minimal": (
        "The time budget stopped the search for the conflict before it was minimal; these "
        "rules and capacities cannot all hold: {listed}.",
        "Das Zeitbudget hat die Suche nach dem Konflikt beendet, bevor er minimal war; diese "
        "Regeln und Kapazitäten können nicht alle zugleich gelten: {listed}.",
    ),
    "diagnose.two-accountables": (
        "These two rules both name an accountable for {activity}: {first} and {second}. Keep one.",
        "Diese beiden Regeln legen jeweils eine verantwortliche Rolle für „{activity}“ fest: "
        "{first} und {second}. Nur eine beibehalten.",
    ),
    "diagnose.capacity": ("capacity", "Kapazität"),
    "diagnose.capacities": ("capacities", "Kapazitäten"),
    "diagnose.capacity-short": (
        "The {noun} of {capacities} cannot carry the work the RACI definitions require (one "
        "accountable and at least one responsible per activity).",
        "Die {noun} von {capacities} reicht nicht für die Arbeit, die die RACI-Regeln verlangen "
        "(je Tätigkeit eine verantwortliche und mindestens eine durchführende Rolle).",
    ),
    "diagnose.capacities-short": (
        "The {noun} of {capacities} cannot carry the work the RACI definitions require (one "
        "accountable and at least one responsible per activity).",
        "Die {noun} von {capacities} reichen nicht für die Arbeit, die die RACI-Regeln "
        "verlangen (je Tätigkeit eine verantwortliche und mindestens eine durchführende Rolle).",
    ),
    "diagnose.one-rule": (
        "The rule {rule} cannot hold beside the RACI definitions.",
        "Die Regel {rule} ist mit den RACI-Regeln unvereinbar.",
    ),
    "diagnose.rules-contradict": (
        "These {count} rules contradict each other: {rules}. {advice}.",
        "Diese {count} Regeln widersprechen einander: {rules}. {advice}.",
    ),
    "diagnose.keep-one": ("Keep one", "Nur eine beibehalten"),
    "diagnose.one-has-to-give": ("At least one has to give", "Mindestens eine muss weichen"),
    "diagnose.rules-and-capacity": (
        "{rules} cannot hold within the {noun} of {capacities}: drop the rule or raise the {noun}.",
        "{rules} lässt sich mit der {noun} von {capacities} nicht erfüllen: die Regel streichen "
        "oder die {noun} erhöhen.",
    ),
    "diagnose.rules-and-capacities": (
        "{rules} cannot hold within the {noun} of {capacities}: drop a rule or raise the {noun}.",
        "{rules} lassen sich mit den {noun} von {capacities} nicht erfüllen: eine Regel "
        "streichen oder die {noun} erhöhen.",
    ),
    "diagnose.drop.scenario": ("Drop the rule '{rule}'.", "Die Regel '{rule}' streichen."),
    "diagnose.drop.structure": (
        "Drop the {variant} model's rule '{rule}'.",
        "Die Regel '{rule}' des Modells {variant} streichen.",
    ),
    "diagnose.drop.works_council": (
        "Drop the works-council rule '{rule}' (co-determination, §87(1) BetrVG: only where it "
        "does not apply).",
        "Die Betriebsratsregel '{rule}' streichen (Mitbestimmung nach §87 Abs. 1 BetrVG: nur, "
        "wo sie nicht greift).",
    ),
    "diagnose.raise": (
        "Raise the capacity of {role} from {before:g} to {days}.",
        "Die Kapazität von {role} von {before:g} auf {days} erhöhen.",
    ),
    "diagnose.budget-ended": (
        "The time budget of {seconds:.3g} s ended the search after {fixes}.",
        "Das Zeitbudget von {seconds:.3g} s hat die Suche nach {fixes} beendet.",
    ),
    "noun.fix": ("fix|fixes", "Abhilfe|Abhilfen"),
    "diagnose.no-other": (
        "No other set of relaxations works.",
        "Keine andere Kombination von Lockerungen führt zum Ziel.",
    ),
    "diagnose.search-stopped": (
        "The search for another fix stopped: {why}.",
        "Die Suche nach einer weiteren Abhilfe wurde abgebrochen: {why}.",
    ),
    "diagnose.nothing-to-relax": (
        "The elastic model found nothing to relax; the solver may have failed.",
        "Das elastische Modell fand nichts zu lockern; womöglich ist der Solver gescheitert.",
    ),
    "diagnose.unproven.one": (
        "Fix {numbers} is the cheapest found in the time budget, not proven cheapest.",
        "Abhilfe {numbers} ist die günstigste im Zeitbudget gefundene, nicht nachweislich die "
        "günstigste.",
    ),
    "diagnose.unproven": (
        "Fixes {numbers} are the cheapest found in the time budget, not proven cheapest.",
        "Die Abhilfen {numbers} sind die günstigsten im Zeitbudget gefundenen, nicht "
        "nachweislich die günstigsten.",
    ),
    "diagnose.infeasible": (
        "No matrix satisfies every hard rule.",
        "Keine Matrix erfüllt alle harten Regeln.",
    ),
    "diagnose.no-time": (
        "The time budget left no time to look for the conflict.",
        "Das Zeitbudget ließ keine Zeit, den Konflikt zu suchen.",
    ),
    "diagnose.one-fix": ("One fix", "Eine Abhilfe"),
    "diagnose.fixes": ("{count} different fixes", "{count} verschiedene Abhilfen"),
    "diagnose.cheapest": (
        "{count}, cheapest first, each checked by solving again; the cheapest (cost {cost:g}): "
        "{relaxations}",
        "{count}, die günstigste zuerst, jede durch erneutes Lösen geprüft; die günstigste "
        "(Kosten {cost:g}): {relaxations}",
    ),
    "diagnose.no-fix": ("No fix was found.", "Es wurde keine Abhilfe gefunden."),
    #: the words every sentence about the budget cutting a diagnosis short contains
    "diagnose.time-budget": ("time budget", "Zeitbudget"),
    # ------------------------------------------- governance models named inside a sentence
    "model.central": ("central", "Zentral"),
    "model.hub-and-spoke": ("hub-and-spoke", "Hub-and-Spoke"),
    "model.distributed": ("distributed", "Dezentral"),
    "model.multi-hub": ("multi-hub", "Multi-Hub"),
    "model.holistic": ("holistic", "Ganzheitlich"),
    # ----------------------------------- the fit rules' evidence (models.governance.recommend)
    "evidence.low": (
        "low maturity: the step to central comes first",
        "geringe Reife: zuerst kommt der Schritt zum zentralen Modell",
    ),
    "evidence.low.source": (
        "{prophet}: the typical path runs ad hoc → centralised → more distributed",
        "{prophet}: Der typische Weg führt von ad hoc über zentral zu stärker dezentral",
    ),
    "evidence.central.large": (
        "large ({large:,}+ staff) with several business units, past the first step",
        "groß (ab {large:,} Beschäftigten) mit mehreren Fachbereichen, über den ersten Schritt "
        "hinaus",
    ),
    "evidence.central.large.source": (
        "{altimeter}: centralised is 'a short-term fix' that does not scale",
        "{altimeter}: Zentral ist eine kurzfristige Lösung („a short-term fix“), die nicht "
        "skaliert",
    ),
    "evidence.central.low": ("low maturity: the first step", "geringe Reife: der erste Schritt"),
    "evidence.small": ("small (under {small} staff)", "klein (unter {small} Beschäftigten)"),
    "evidence.central.small.source": (
        "{altimeter}: a single team suits small firms",
        "{altimeter}: Ein einzelnes Team passt zu kleinen Unternehmen",
    ),
    "evidence.central.regulated": (
        "regulated, with at most one business unit",
        "reguliert, mit höchstens einem Fachbereich",
    ),
    "evidence.central.regulated.source": (
        "{altimeter}: centralised 'is great for regulated industries or brands under scrutiny'",
        "{altimeter}: Zentral eignet sich für regulierte Branchen und Marken unter Beobachtung "
        "(„great for regulated industries or brands under scrutiny“)",
    ),
    "evidence.hub.no-sponsor": (
        "no executive sponsor",
        "keine Unterstützung durch die Geschäftsführung",
    ),
    "evidence.hub.no-sponsor.source": (
        "{altimeter}: hub-and-spoke needs executive support and cross-department buy-in",
        "{altimeter}: Hub-and-Spoke braucht die Unterstützung der Geschäftsführung und den "
        "Rückhalt aller Abteilungen",
    ),
    "evidence.hub.large": (
        "large ({large:,}+ staff) with business units",
        "groß (ab {large:,} Beschäftigten) mit Fachbereichen",
    ),
    "evidence.hub.large.source": (
        "{altimeter}: the most common form among firms over 1,000 staff (41 % in 2010, 35 % in "
        "2013)",
        "{altimeter}: die häufigste Form in Unternehmen mit mehr als 1.000 Beschäftigten (41 % "
        "im Jahr 2010, 35 % im Jahr 2013)",
    ),
    "evidence.distributed.regulated": ("regulated", "reguliert"),
    "evidence.distributed.regulated.source": (
        "{altimeter}: distributed risks an inconsistent experience, which brands under scrutiny "
        "cannot afford",
        "{altimeter}: Dezentral riskiert einen uneinheitlichen Auftritt, den sich Marken unter "
        "Beobachtung nicht leisten können",
    ),
    "evidence.high-maturity": ("high maturity", "hohe Reife"),
    "evidence.distributed.mature.source": (
        "{altimeter}: distributed suits mature firms",
        "{altimeter}: Dezentral passt zu reifen Unternehmen",
    ),
    "evidence.distributed.small.source": (
        "{altimeter}: distributed suits small firms",
        "{altimeter}: Dezentral passt zu kleinen Unternehmen",
    ),
    "evidence.multi-hub.large": (
        "{units}+ business units and {multinational:,}+ staff",
        "ab {units} Fachbereichen und ab {multinational:,} Beschäftigten",
    ),
    "evidence.multi-hub.large.source": (
        "{altimeter}: multiple hub-and-spoke suits 'large multinational corporations with "
        "multiple product lines'",
        "{altimeter}: Multi-Hub passt zu großen multinationalen Konzernen mit mehreren "
        "Produktlinien („large multinational corporations with multiple product lines“)",
    ),
    "evidence.holistic.against": (
        "less than high maturity with strong executive sponsorship",
        "weniger als hohe Reife mit starker Unterstützung der Geschäftsführung",
    ),
    "evidence.holistic.against.source": (
        "{altimeter}: holistic needs executives ready to let go and trained employees; about "
        "2 % of large firms run it",
        "{altimeter}: Ganzheitlich braucht eine Führung, die loslassen kann, und geschulte "
        "Beschäftigte; etwa 2 % der großen Unternehmen arbeiten so",
    ),
    "evidence.holistic.fits": (
        "high maturity and strong executive sponsorship",
        "hohe Reife und starke Unterstützung der Geschäftsführung",
    ),
    "evidence.holistic.fits.source": (
        "{altimeter}: holistic suits very mature cultures with strong sponsors",
        "{altimeter}: Ganzheitlich passt zu sehr reifen Kulturen mit starken Förderern",
    ),
    # ----------------------------------------- the recommendation (models.governance.recommend)
    "vote.no-rule": (
        "the discussion states no decision rule: a simple majority at 0.5 is assumed",
        "die Diskussion nennt keine Entscheidungsregel: angenommen wird eine einfache Mehrheit "
        "bei 0,5",
    ),
    "vote.other-scenario": (
        "the discussion belongs to the RACI scenario '{theirs}', not '{ours}': its "
        "stakeholders are assumed to be this organisation's",
        "die Diskussion gehört zum RACI-Szenario '{theirs}', nicht zu '{ours}': ihre "
        "Beteiligten werden als die dieser Organisation angenommen",
    ),
    "vote.passes": ("passes", "geht durch"),
    "vote.fails": ("fails", "scheitert"),
    "vote.vetoed": ("fails (vetoed by {vetoes})", "scheitert (Veto von {vetoes})"),
    "vote.sentence": (
        "The simulated vote {outcome}, margin {margin:+.3f}; P(pass) {probability:.0%} over "
        "{draws:,} draws, the mean of the four standard dynamics models (95 % interval "
        "{low:.0%}–{high:.0%}){models}.",
        "Die simulierte Abstimmung {outcome}, Abstand {margin:+.3f}; P(Annahme) "
        "{probability:.0%} über {draws:,} Ziehungen, Mittel der vier Standard-Dynamikmodelle "
        "(95-%-Intervall {low:.0%}–{high:.0%}){models}.",
    ),
    "vote.assumed": (" Assumed: {assumed}.", " Annahme: {assumed}."),
    "reason.fits": ("Fits the organisation", "Passt zur Organisation"),
    "reason.neutral": (
        "Neither fits nor misfits the organisation",
        "Passt weder besonders gut noch schlecht zur Organisation",
    ),
    "reason.does-not-fit": ("Does not fit the organisation", "Passt nicht zur Organisation"),
    "reason.score": (
        "{said}. Score {total:.3f} = {terms}.",
        "{said}. Punktzahl {total:.3f} = {terms}.",
    ),
    "reason.term": ("{part} {value:.3f}", "{part} {value:.3f}"),
    "reason.not-argued": (
        " The discussion does not argue about this model: acceptance 0.5 (undecided).",
        " Die Diskussion behandelt dieses Modell nicht: Akzeptanz 0,5 (unentschieden).",
    ),
    "reason.not-applicable": (
        "Ranked last, not-applicable: {message}",
        "Letzter Rang, nicht anwendbar: {message}",
    ),
    "reason.unsolved": (
        "Ranked last: the solve is {status} ({why}).",
        "Letzter Rang: Das Modell ist {status} ({why}).",
    ),
    "trade.hub-load": ("the hub's load {b} instead of {o}", "Auslastung des Hubs {b} statt {o}"),
    "trade.bottleneck": (
        "one role accountable for at most {b} of the rows instead of {o}",
        "eine Rolle für höchstens {b} der Zeilen verantwortlich statt {o}",
    ),
    "trade.competence": (
        "competence fit {b:.2f} instead of {o:.2f}",
        "Kompetenzpassung {b:.2f} statt {o:.2f}",
    ),
    "trade.consultation": (
        "{b} of the natural consultees heard instead of {o}",
        "{b} der naheliegenden Konsultierten angehört statt {o}",
    ),
    "trade.consent": (
        "consent on {b} of codetermined rows, not {o}",
        "Zustimmung bei {b} der mitbestimmten Zeilen statt {o}",
    ),
    "trade.more-work": ("{fte:.1f} FTE more work", "{fte:.1f} VZÄ mehr Arbeit"),
    "trade.less-work": ("{fte:.1f} FTE less work", "{fte:.1f} VZÄ weniger Arbeit"),
    "trade.acceptance": (
        "passes in {b} of draws instead of {o}",
        "angenommen in {b} der Ziehungen statt {o}",
    ),
    "trade.none": (
        "{best} against {other}: no difference worth naming.",
        "{best} gegenüber {other}: kein nennenswerter Unterschied.",
    ),
    "trade.sentence": ("{best} against {other}: {said}.", "{best} gegenüber {other}: {said}."),
    "summary.none": (
        "No governance model has a RACI matrix for {organisation}; the ranking says why.",
        "Kein Governance-Modell hat eine RACI-Matrix für {organisation}; die Rangfolge nennt "
        "die Gründe.",
    ),
    "summary.fits": ("it fits the organisation", "es passt zur Organisation"),
    "summary.neutral": (
        "no model fits the organisation better on the evidence",
        "nach den Belegen passt kein Modell besser zur Organisation",
    ),
    "summary.does-not-fit": (
        "every model with a matrix misfits the organisation; this one least",
        "jedes Modell mit Matrix passt schlecht zur Organisation, dieses noch am besten",
    ),
    "summary.sentence": (
        "Recommended for {organisation}: {variant} — {said}{because}, score {score:.3f}.",
        "Empfehlung für {organisation}: {variant} — {said}{because}, Punktzahl {score:.3f}.",
    ),
    "summary.vote-fails": (
        " But the stakeholders' simulated vote fails (it passes in {probability:.0%} of draws): "
        "brief them before the decision.",
        " Die simulierte Abstimmung der Beteiligten scheitert jedoch (angenommen in "
        "{probability:.0%} der Ziehungen): die Beteiligten vor der Entscheidung einbinden.",
    ),
    "summary.vote-passes": (
        " The stakeholders' simulated vote passes ({probability:.0%} of draws).",
        " Die simulierte Abstimmung der Beteiligten geht durch ({probability:.0%} der Ziehungen).",
    ),
    # -------------------------------------------------- the staged path (models.governance.path)
    "or": (" or ", " oder "),
    "path.ad-hoc": ("ad hoc", "ad hoc"),
    "path.current": (
        "the current matrix, closest to {variant}",
        "die aktuelle Matrix, am nächsten an {variant}",
    ),
    "path.first": (
        "first: one team takes ownership of the channels, the rules and the reporting (the "
        "typical path starts centralised, Prophet/Altimeter 2015)",
        "zuerst: Ein Team übernimmt Kanäle, Regeln und Berichtswesen (der typische Weg beginnt "
        "zentral, Prophet/Altimeter 2015)",
    ),
    "path.now": (
        "now: the organisation meets it ({met})",
        "jetzt: Die Organisation erfüllt die Voraussetzung ({met})",
    ),
    "path.ready": ("when the organisation is ready", "sobald die Organisation bereit ist"),
    "path.when": ("when {rules}", "sobald gilt: {rules}"),
    "path.summary": ("{steps}.", "{steps}."),
    # ------------------------------ whether a model can run (models.raci.variants.applicability)
    "and.comma": (", and ", " sowie "),
    "needs.central.hub": (
        "a hub (a CSMO, a social-media team or a centre of excellence) to hold strategy, "
        "guidelines, training, channels, monitoring and KPIs",
        "einen Hub (einen CSMO, ein Social-Media-Team oder ein Kompetenzzentrum), der "
        "Strategie, Richtlinien, Schulung, Kanäle, Monitoring und KPIs verantwortet",
    ),
    "needs.hub-and-spoke.hub": (
        "a hub to lead strategy, guidelines, training, channels, monitoring and KPIs",
        "einen Hub, der Strategie, Richtlinien, Schulung, Kanäle, Monitoring und KPIs führt",
    ),
    "needs.hub-and-spoke.units": (
        "business units (spokes) to run execution",
        "Fachbereiche (Spokes), die die Umsetzung tragen",
    ),
    "needs.distributed.units_or_employees": (
        "business units or employees who own their work",
        "Fachbereiche oder Beschäftigte, die ihre Arbeit selbst verantworten",
    ),
    "needs.multi-hub.units": (
        "business units to run execution",
        "Fachbereiche, die die Umsetzung tragen",
    ),
    "needs.multi-hub.hubs": (
        "several hubs: an umbrella hub and at least one regional hub under it",
        "mehrere Hubs: einen übergeordneten Hub und mindestens einen regionalen Hub darunter",
    ),
    "needs.holistic.hub": (
        "a hub to set the rules and run the enablement",
        "einen Hub, der die Regeln setzt und die Befähigung steuert",
    ),
    "needs.holistic.employees": (
        "employees who do the work within those rules",
        "Beschäftigte, die innerhalb dieser Regeln die Arbeit tun",
    ),
    "lacks.single-hub": ("a single hub, {hub}", "nur einen Hub, {hub}"),
    "lacks.hub": ("no hub", "keinen Hub"),
    "lacks.hubs": ("no hub", "keinen Hub"),
    "lacks.units": ("no business units", "keine Fachbereiche"),
    "lacks.employees": ("no employees role", "keine Rolle für die Beschäftigten"),
    "lacks.units_or_employees": (
        "neither business units nor an employees role",
        "weder Fachbereiche noch eine Rolle für die Beschäftigten",
    ),
    "lacks.none": ("none", "nichts davon"),
    "takes.single-hub": (
        "create a regional hub per business unit under the umbrella hub",
        "je Fachbereich einen regionalen Hub unter dem übergeordneten Hub schaffen",
    ),
    "takes.hub": (
        "appoint a social-media manager or team as the hub (a role of kind hub)",
        "einen Social-Media-Manager oder ein Team als Hub benennen (eine Rolle der Art hub)",
    ),
    "takes.hubs": (
        "appoint an umbrella hub and a regional hub per business unit under it",
        "einen übergeordneten Hub und darunter je Fachbereich einen regionalen Hub benennen",
    ),
    "takes.units": (
        "create a business unit or regional team per line of work",
        "je Geschäftsfeld einen Fachbereich oder ein regionales Team schaffen",
    ),
    "takes.employees": (
        "add the employees (ambassadors) as a role of kind employees",
        "die Beschäftigten (Botschafter) als Rolle der Art employees aufnehmen",
    ),
    "takes.units_or_employees": (
        "add the business units, or the employees as a role of kind employees",
        "die Fachbereiche aufnehmen oder die Beschäftigten als Rolle der Art employees",
    ),
    "takes.instead": (", or choose {variant}", " oder das Modell {variant} wählen"),
    "carriers.distributed": (
        "{names} owning their work",
        "{names}, die ihre Arbeit selbst verantworten",
    ),
    "carriers.hub": ("{hub} as the hub", "{hub} als Hub"),
    "carriers.spokes": ("{hub}; {units} as the spoke", "{hub}; {units} als Spoke"),
    "carriers.spokes.many": ("{hub}; {units} as the spokes", "{hub}; {units} als Spokes"),
    "carriers.multi-hub": (
        "{head} as the umbrella hub; {regional} as the regional hub; {units} running execution",
        "{head} als übergeordneter Hub; {regional} als regionaler Hub; {units} für die Umsetzung",
    ),
    "carriers.multi-hub.many": (
        "{head} as the umbrella hub; {regional} as the regional hubs; {units} running execution",
        "{head} als übergeordneter Hub; {regional} als regionale Hubs; {units} für die Umsetzung",
    ),
    "carriers.holistic": (
        "{hub} setting the rules; {employees} doing the work",
        "{hub}, der die Regeln setzt; {employees}, die die Arbeit tun",
    ),
    "applicable": ("{title} can run: {carriers}.", "{title} ist umsetzbar: {carriers}."),
    "not-applicable": (
        "{title} needs {needs}; {organisation} has {lacks}.",
        "{title} braucht {needs}; {organisation} hat {lacks}.",
    ),
    # ------------------------------------------------ stability (models.governance.stability)
    "stability.method": (
        "Each weight scaled by 0.25, 0.5, 0.75, 1.25, 2 and 4 (the others kept), the models as "
        "fit as the winner solved again and re-ranked with their votes unchanged; a boundary "
        "between grid points bisected 3 times. Cells: the recommended model solved at every "
        "grid factor. Profile: each attribute set to each value the fit rules distinguish, the "
        "solved matrices ranked again (fit reads the profile alone). Fragile: the winner flips "
        "within ±25 % of a weight.",
        "Jedes Gewicht mit 0,25, 0,5, 0,75, 1,25, 2 und 4 multipliziert (die übrigen "
        "unverändert), die ebenso passenden Modelle wie der Sieger neu gelöst und mit "
        "unveränderten Abstimmungen neu gereiht; eine Grenze zwischen Gitterpunkten dreimal "
        "halbiert. Zellen: das empfohlene Modell bei jedem Gitterfaktor gelöst. Profil: jedes "
        "Merkmal auf jeden Wert gesetzt, den die Passungsregeln unterscheiden, und die gelösten "
        "Matrizen neu gereiht (die Passung liest nur das Profil). Fragil: Der Sieger wechselt "
        "innerhalb von ±25 % eines Gewichts.",
    ),
    "stability.none-checked": (
        "No objective weight of {winner} was checked.",
        "Kein Gewicht der Zielfunktion von {winner} wurde geprüft.",
    ),
    "stability.every-weight": ("every objective weight", "jedes Gewicht der Zielfunktion"),
    "stability.holds": (
        "{winner} holds for {weights} from 0.25× to 4×.",
        "{winner} bleibt für {weights} von 0,25× bis 4× vorn.",
    ),
    "stability.below": (
        "{weight} below {factor:.2f}× ({to})",
        "{weight} unter {factor:.2f}× ({to})",
    ),
    "stability.above": (
        "{weight} above {factor:.2f}× ({to})",
        "{weight} über {factor:.2f}× ({to})",
    ),
    "stability.none": ("none", "keines"),
    "stability.flips": ("{winner} flips with {parts}.", "{winner} kippt bei {parts}."),
    "stability.changes": (
        " It changes when {flips}.",
        " Die Empfehlung ändert sich, wenn {flips}.",
    ),
    "stability.flip": ("{attribute} is {value} ({winner})", "{attribute} = {value} ({winner})"),
    "profile.headcount": ("headcount", "Beschäftigte"),
    "profile.business_units": ("business units", "Fachbereiche"),
    "profile.regulated": ("regulated", "reguliert"),
    "profile.maturity": ("maturity", "Reife"),
    "profile.executive_sponsorship": (
        "executive sponsorship",
        "Rückendeckung der Geschäftsführung",
    ),
    "profile.True": ("True", "ja"),
    "profile.False": ("False", "nein"),
    "profile.low": ("low", "gering"),
    "profile.medium": ("medium", "mittel"),
    "profile.high": ("high", "hoch"),
    "profile.none": ("none", "keine"),
    "profile.weak": ("weak", "schwach"),
    "profile.strong": ("strong", "stark"),
    "stability.no-flip": (
        " No single change of the profile changes it.",
        " Keine einzelne Änderung des Profils ändert sie.",
    ),
    "stability.fragile": (
        " Fragile: it flips within ±25 % of {weights}.",
        " Fragil: Sie kippt innerhalb von ±25 % bei {weights}.",
    ),
    "stability.unchecked": (
        " Not checked within {seconds:g} s: {what}.",
        " In {seconds:g} s nicht geprüft: {what}.",
    ),
    # ------------------------------------------------------ what-if (models.governance.whatif)
    "whatif.weight": (
        "weight of {term} {before:g} -> {after:g}",
        "Gewicht {term} {before:g} -> {after:g}",
    ),
    "whatif.capacity": (
        "capacity of {role} {before:g} -> {after:g} person-days",
        "Kapazität von {role} {before:g} -> {after:g} Personentage",
    ),
    "whatif.added-role": ("added {role}", "{role} hinzugefügt"),
    "whatif.removed-role": ("removed {role}", "{role} entfernt"),
    "whatif.removed-rules": (
        " and the {count} rule(s) naming it",
        " samt {count} Regel(n), die die Rolle nennen",
    ),
    "whatif.freed": ("; {roles} no longer report to it", "; {roles} berichten nicht mehr an sie"),
    "whatif.optional": (
        "{role} made optional (sizes {sizes} person-days)",
        "{role} optional gemacht (Größen {sizes} Personentage)",
    ),
    "whatif.leads": ("{role} leads", "{role} führt"),
    "whatif.hub-leads": ("the catalogue's hub leads", "der Hub des Katalogs führt"),
    "whatif.added-rule": ("added a rule", "Regel hinzugefügt"),
    "whatif.dropped-rule": ("dropped rule {index}", "Regel {index} gestrichen"),
    "whatif.stay-close": (
        "stay close to the current matrix (weight {weight:g} per changed cell)",
        "nah an der aktuellen Matrix bleiben (Gewicht {weight:g} je geänderter Zelle)",
    ),
    "whatif.no-edit": ("no edit", "keine Änderung"),
    "whatif.summary": (
        "{edits}: {moved} cell(s) flip across {models} model(s)",
        "{edits}: {moved} Zelle(n) ändern sich über {models} Modell(e)",
    ),
    "whatif.stays": ("; the recommendation stays {now}", "; die Empfehlung bleibt {now}"),
    "whatif.changes": (
        "; the recommendation changes from {was} to {now}",
        "; die Empfehlung wechselt von {was} zu {now}",
    ),
    "whatif.end": ("{summary}.", "{summary}."),
    # ------------------------------------------ lead comparison and staffing (models.raci.solve)
    "lead.alone": (
        "{lead} leads; the organisation has no other hub role to compare with.",
        "{lead} führt; die Organisation hat keine andere Hub-Rolle zum Vergleich.",
    ),
    "lead.other": (
        "Led by {hub} instead, the model is {status}: {message}.",
        "Unter der Führung von {hub} ist das Modell {status}: {message}.",
    ),
    "lead.term": ("{term} {amount:.2f}", "{term} {amount:.2f}"),
    "lead.better": ("better by {amount:.2f}", "um {amount:.2f} besser"),
    "lead.worse": ("worse by {amount:.2f}", "um {amount:.2f} schlechter"),
    "lead.as-good": ("as good", "gleich gut"),
    "lead.compared": (
        "{lead} leading is {verdict} than {hub} leading (total {total:.2f} against {other:.2f})",
        "Führt {lead}, ist das Ergebnis {verdict} als unter {hub} (gesamt {total:.2f} gegenüber "
        "{other:.2f})",
    ),
    "lead.compared.same": (
        "{lead} leading is {verdict} as {hub} leading (total {total:.2f} against {other:.2f})",
        "Führt {lead}, ist das Ergebnis {verdict} wie unter {hub} (gesamt {total:.2f} "
        "gegenüber {other:.2f})",
    ),
    "lead.gains": ("; it gains {terms}", "; es gewinnt {terms}"),
    "lead.loses": ("; it loses {terms}", "; es verliert {terms}"),
    "lead.end": ("{text}.", "{text}."),
    "staffing.not-created": (
        "{role} is not created: no work it could take pays for its cost.",
        "{role} wird nicht geschaffen: Keine Arbeit, die die Rolle übernehmen könnte, "
        "rechtfertigt ihre Kosten.",
    ),
    "staffing.needed": (
        "Create {role} with {size:g} person-days per month ({fte:.2g} FTE): without it no "
        "matrix meets the hard rules.",
        "{role} mit {size:g} Personentagen pro Monat ({fte:.2g} VZÄ) schaffen: Ohne diese Rolle "
        "erfüllt keine Matrix die harten Regeln.",
    ),
    "staffing.pays": (
        "Create {role} with {size:g} person-days per month ({fte:.2g} FTE): it costs {cost:.2f} "
        "and still makes the total {total:.2f} better{gains}.",
        "{role} mit {size:g} Personentagen pro Monat ({fte:.2g} VZÄ) schaffen: Die Rolle kostet "
        "{cost:.2f} und verbessert das Gesamtergebnis dennoch um {total:.2f}{gains}.",
    ),
    "staffing.gains": (" (it buys {terms})", " (sie bringt {terms})"),
    "staffing.term": ("{amount:.2f} {term}", "{amount:.2f} {term}"),
    # --------------------------------------------------- the discussion (models.discussion)
    "noun.round": ("round|rounds", "Runde|Runden"),
    "discussion.converged": (
        "converged after {rounds} (no position moved more than {tolerance:g})",
        "konvergiert nach {rounds} (keine Position bewegte sich um mehr als {tolerance:g})",
    ),
    "discussion.not-converged": (
        "not converged within {rounds}: the final positions are the last state, not an equilibrium",
        "nicht konvergiert innerhalb von {rounds}: Die Endpositionen sind der letzte Stand, "
        "kein Gleichgewicht",
    ),
    "discussion.stopped": (
        "stopped at round {round:,} of {most:,} by the time budget",
        "vom Zeitbudget in Runde {round:,} von {most:,} angehalten",
    ),
    "discussion.not-converged-after": ("; not converged", "; nicht konvergiert"),
    "discussion.last-state": (
        "{why}: the final positions are the last state, not an equilibrium",
        "{why}: Die Endpositionen sind der letzte Stand, kein Gleichgewicht",
    ),
    "discussion.thinned": (
        "one round in {every:,} of {rounds:,} (and the last): {stakeholders:,} stakeholders × "
        "{issues:,} issues × {recorded:,} recorded rounds within {cells:,} numbers",
        "eine von je {every:,} Runden von {rounds:,} (und die letzte): {stakeholders:,} "
        "Beteiligte × {issues:,} Themen × {recorded:,} aufgezeichnete Runden innerhalb von "
        "{cells:,} Zahlen",
    ),
    "montecarlo.not-run": (
        "it left out {models}, not run to the end at the inputs as given: the probability is "
        "the mean over the other {count} model(s)",
        "{models} blieben außen vor (bei den Eingaben wie gegeben nicht zu Ende gerechnet): die "
        "Wahrscheinlichkeit ist der Mittelwert über die übrigen {count} Modell(e)",
    ),
    "montecarlo.budget": (
        "the time budget stopped Monte Carlo at {done:,} of {draws:,} draws: probability "
        "{probability:.2f} ± {error:.2f}",
        "das Zeitbudget hat Monte Carlo bei {done:,} von {draws:,} Ziehungen angehalten: "
        "Wahrscheinlichkeit {probability:.2f} ± {error:.2f}",
    ),
    "agreement.share": (
        "fails (share {share:.1%} against {required:.1%} needed)",
        "scheitert (Anteil {share:.1%} statt der nötigen {required:.1%})",
    ),
    "agreement.chance": (", P(pass | {name}) {probability}", ", P(Annahme | {name}) {probability}"),
    "agreement.all": ("all {total} models: {verdict}", "alle {total} Modelle: {verdict}"),
    "agreement.side": (
        "{side} of {total} models: {verdict}",
        "{side} von {total} Modellen: {verdict}",
    ),
    "agreement.uncertain": (
        " — the models disagree, so the outcome is uncertain",
        " — die Modelle sind uneins, das Ergebnis ist also unsicher",
    ),
    # ------------------------------------------ the briefing plan (models.discussion.intervention)
    "brief.not-needed": (
        "the proposal passes without briefing, with probability {probability:.1%} (target "
        "{target:.0%})",
        "der Vorschlag geht ohne Briefing durch, mit Wahrscheinlichkeit {probability:.1%} "
        "(Ziel {target:.0%})",
    ),
    "brief.nobody": ("nobody may be briefed", "niemand darf gebrieft werden"),
    "brief.no-sandwich": (
        "the sandwich has no top or no base",
        "dem Sandwich fehlt die Spitze oder die Basis",
    ),
    "brief.time-limit": (
        "no plan found within {seconds:g} s",
        "kein Plan in {seconds:g} s gefunden",
    ),
    "brief.everyone": ("briefing everyone allowed", "alle Zulässigen zu briefen"),
    "brief.sandwich": ("briefing the top and the base", "Spitze und Basis zu briefen"),
    "brief.cannot": (
        "{who} cannot make the proposal pass (within a move of {move:g} each)",
        "{who} reicht nicht, damit der Vorschlag durchgeht (bei einer Bewegung von je höchstens "
        "{move:g})",
    ),
    "brief.odds": (
        "P(pass) {probability:.1%} (95% CI {low:.1%}–{high:.1%}), {again}",
        "P(Annahme) {probability:.1%} (95-%-KI {low:.1%}–{high:.1%}), {again}",
    ),
    "brief.remeasured": (
        "re-measured {probability:.1%} ({low:.1%}–{high:.1%}, seed {seed})",
        "nachgemessen {probability:.1%} ({low:.1%}–{high:.1%}, Seed {seed})",
    ),
    "brief.not-remeasured": (
        "not re-measured (the time budget ended)",
        "nicht nachgemessen (das Zeitbudget war aufgebraucht)",
    ),
    "brief.cut-unproven": (
        "the {strategy} plan's MILP: stopped before its proof",
        "das MILP des Plans „{strategy}“: vor seinem Beweis angehalten",
    ),
    "brief.rechecked": (
        "the solver's plan does not make the proposal pass when rechecked",
        "der Plan des Solvers bringt den Vorschlag bei der Nachprüfung nicht durch",
    ),
    "brief.target-not-reached": (
        "no plan found reaches P(pass) {target:.0%}; the best found briefs {names} (effort "
        "{effort:.3g}, margin {margin:.3f}): {odds}",
        "kein gefundener Plan erreicht P(Annahme) {target:.0%}; der beste brieft {names} "
        "(Aufwand {effort:.3g}, Abstand {margin:.3f}): {odds}",
    ),
    "brief.plan": (
        "brief {names}: total effort {effort:.3g}, every supporter planned {margin:.3f} above "
        "the threshold: {odds}{proven}",
        "{names} briefen: Gesamtaufwand {effort:.3g}, jede Unterstützerin und jeder Unterstützer "
        "{margin:.3f} über der Schwelle eingeplant: {odds}{proven}",
    ),
    "brief.unproven": (
        " (best found, not proven least)",
        " (bester gefundener, nicht nachweislich geringster)",
    ),
    # ------------------------------------------------------ the solver's verdict (models.solver)
    "solver.proven": ("proven optimal", "nachweislich optimal"),
    "solver.gap": ("stopped within the requested gap", "innerhalb der verlangten Lücke angehalten"),
    "solver.time-limit": (
        "stopped by the time limit of {limit:g} s",
        "durch das Zeitlimit von {limit:g} s angehalten",
    ),
    "solver.no-solution": (
        "the time limit of {limit:g} s ran out before a solution was found",
        "das Zeitlimit von {limit:g} s lief ab, bevor eine Lösung gefunden wurde",
    ),
    "solver.before-solution": ("before a solution", "bevor eine Lösung"),
    "solver.before-matrix": ("before a matrix", "bevor eine Matrix"),
    "solver.infeasible": (
        "no solution satisfies every constraint",
        "keine Lösung erfüllt alle Nebenbedingungen",
    ),
    "solver.no-matrix": (
        "no matrix satisfies every hard rule",
        "keine Matrix erfüllt alle harten Regeln",
    ),
    "solver.early": ("stopped early: {reason}", "vorzeitig angehalten: {reason}"),
    "solver.not-reached": (
        "the time limit ran out before this model was solved",
        "das Zeitlimit lief ab, bevor dieses Modell gelöst wurde",
    ),
    #: the words every sentence about the time limit stopping a solve contains
    "solver.time-limit-word": ("time limit", "Zeitlimit"),
    # ------------------------------------------------- lines around a matrix (models.raci.render)
    "render.gap": (", gap {gap:.2%}", ", Lücke {gap:.2%}"),
    "render.seconds": ("{seconds:.2f} s", "{seconds:.2f} s"),
    "render.diagnosis": ("diagnosis: {summary}", "Diagnose: {summary}"),
    "render.fix": ("fix {number} (cost {cost:g}):", "Abhilfe {number} (Kosten {cost:g}):"),
    "render.fix-no-matrix": (
        "{head} no matrix, {status}: {message}",
        "{head} keine Matrix, {status}: {message}",
    ),
    "render.fix-matrix": (
        "{head} {status} matrix{proof}, objective {total:.4g}",
        "{head} Matrix {status}{proof}, Zielfunktion {total:.4g}",
    ),
    "render.with-fix": ("with fix {number}:", "mit Abhilfe {number}:"),
    "render.with-fix-heading": ("### With fix {number}", "### Mit Abhilfe {number}"),
    # ---------------------------------- the command line's recommendation and what-if tables
    "cli.rank": ("rank", "Rang"),
    "cli.model": ("model", "Modell"),
    "cli.status": ("status", "Status"),
    "cli.fit": ("fit", "Passung"),
    "cli.score": ("score", "Punktzahl"),
    "cli.dominated-by": ("dominated by", "dominiert von"),
    "cli.fit.fits": ("fits", "passt"),
    "cli.fit.neutral": ("neutral", "neutral"),
    "cli.fit.does-not-fit": ("does-not-fit", "passt nicht"),
    "cli.stability": ("stability: {summary}", "Stabilität: {summary}"),
    "cli.path": ("path: {summary}", "Weg: {summary}"),
    "cli.stage": (
        "  {variant}: {moved} cell(s) move; {trigger}",
        "  {variant}: {moved} Zelle(n) ändern sich; {trigger}",
    ),
    "cli.whatif": (
        "{variant}: {before} -> {after}, objective {total_before} -> {total_after}, score "
        "{score_before} -> {score_after}, {flips} cell(s) flip",
        "{variant}: {before} -> {after}, Zielfunktion {total_before} -> {total_after}, "
        "Punktzahl {score_before} -> {score_after}, {flips} Zelle(n) ändern sich",
    ),
    "cli.row": ("row", "Zeile"),
    "cli.role": ("role", "Rolle"),
    "cli.before": ("before", "vorher"),
    "cli.after": ("after", "nachher"),
    # ------------------------------- the discussion report of ``gremium simulate`` (service.cli)
    "sim.model": ("model {model}: {message}", "Modell {model}: {message}"),
    "sim.stakeholder": ("stakeholder", "Stakeholder"),
    "sim.role": ("role", "Rolle"),
    "sim.start-end": ("{issue} (start→end)", "{issue} (Start→Ende)"),
    "sim.supports": ("* supports the proposal\n", "* unterstützt den Vorschlag\n"),
    "sim.coalitions": ("Coalitions", "Koalitionen"),
    "sim.members": ("members", "Mitglieder"),
    "sim.weight": ("weight", "Gewicht"),
    "sim.yes": ("yes", "ja"),
    "sim.no": ("no", "nein"),
    "sim.polarisation": (
        "consensus: {consensus}; polarisation: variance {variance:.3f}, disagreement "
        "{disagreement:.3f}, Esteban-Ray {esteban_ray:.3f}\n",
        "Konsens: {consensus}; Polarisierung: Varianz {variance:.3f}, Uneinigkeit "
        "{disagreement:.3f}, Esteban-Ray {esteban_ray:.3f}\n",
    ),
    "sim.influencers": (
        "Influencers (social power, {method})",
        "Einflussreiche (soziale Macht, {method})",
    ),
    "sim.share": ("share", "Anteil"),
    "sim.passes": ("PASSES", "ANGENOMMEN"),
    "sim.fails": ("FAILS", "ABGELEHNT"),
    "sim.decision": (
        "Decision on {issue!r} under {model} ({rule}, support ≥ {threshold:g}): {verdict} — "
        "share {share:.1%} against {required:.1%} needed, margin {margin:+.1%}{vetoes}",
        "Entscheidung über {issue!r} unter {model} ({rule}, Zustimmung ≥ {threshold:g}): "
        "{verdict} — Anteil {share:.1%} statt der nötigen {required:.1%}, Abstand "
        "{margin:+.1%}{vetoes}",
    ),
    "sim.vetoed": ("; vetoed by {names}", "; Veto von {names}"),
    "sim.each-model": (
        "Under each standard model: {statement}",
        "Unter jedem Standardmodell: {statement}",
    ),
    "sim.agree": ("the models agree", "die Modelle sind sich einig"),
    "sim.disagree": (
        "the models disagree, so the outcome is uncertain",
        "die Modelle sind uneins, das Ergebnis ist also unsicher",
    ),
    "sim.unconverged": (
        "; {share:.1%} of the draws did not converge (decided on their last state)",
        "; {share:.1%} der Ziehungen konvergierten nicht (entschieden nach ihrem letzten Stand)",
    ),
    "sim.monte-carlo": (
        "Monte Carlo ({draws} draws, seed {seed}, every standard model on the same draws, each "
        "equally likely): passes with probability {probability} (95% CI {low}-{high}) — "
        "{agreement}; inputs that matter most: {top}{unconverged}",
        "Monte Carlo ({draws} Ziehungen, Seed {seed}, jedes Standardmodell auf denselben "
        "Ziehungen, alle gleich wahrscheinlich): angenommen mit Wahrscheinlichkeit "
        "{probability} (95-%-KI {low}-{high}) — {agreement}; wichtigste Eingaben: "
        "{top}{unconverged}",
    ),
    "sim.briefing": (
        "\nBriefing on {issue!r}, planned on the {model} equilibrium: each plan must pass with "
        "probability ≥ {target:.0%} (lower 95% bound) under the Monte Carlo input uncertainty; "
        "without briefing {chance}",
        "\nBriefing zu {issue!r}, geplant auf dem Gleichgewicht von {model}: Jeder Plan muss "
        "unter der Unsicherheit der Monte-Carlo-Eingaben mit Wahrscheinlichkeit ≥ "
        "{target:.0%} (untere 95-%-Grenze) durchgehen; ohne Briefing {chance}",
    ),
    "sim.sandwich": (
        "  sandwich: top {top}; base {base}",
        "  Sandwich: Spitze {top}; Basis {base}",
    ),
    "sim.nobody": ("(none)", "(niemand)"),
    "sim.chance": (
        "P(pass) {probability} (95% CI {low}-{high})",
        "P(Annahme) {probability} (95-%-KI {low}-{high})",
    ),
    "sim.own": (" (the discussion's)", " (der Diskussion)"),
    "sim.status.converged": ("converged", "konvergiert"),
    "sim.status.not-converged": ("not-converged", "nicht konvergiert"),
    "sim.parameters.none": ("none", "keine"),
    "sim.parameters.defaults": ("defaults", "Standardwerte"),
    "sim.parameters.given": ("given", "vorgegeben"),
    "sim.model-passes": ("passes", "angenommen"),
    "sim.model-vetoed": (", vetoed by {names}", ", Veto von {names}"),
    "sim.head.model": ("model", "Modell"),
    "sim.head.parameters": ("parameters", "Parameter"),
    "sim.head.run": ("run", "Lauf"),
    "sim.head.decision": ("decision as given", "Entscheidung wie vorgegeben"),
    "sim.head.margin": ("margin", "Abstand"),
    "sim.head.chance": ("P(pass | model)", "P(Annahme | Modell)"),
    "sim.effort": (", effort {effort:.3f}", ", Aufwand {effort:.3f}"),
    "sim.margin": (", margin {margin:.3f}", ", Abstand {margin:.3f}"),
    "sim.remeasured": (
        "    {chance} on seed {seed}; re-measured {again} on seed {again_seed}",
        "    {chance} mit Seed {seed}; nachgemessen {again} mit Seed {again_seed}",
    ),
    "sim.brief": (
        "    brief {name}: {before:.2f} → {after:.2f} (effort {effort:.3f})",
        "    {name} briefen: {before:.2f} → {after:.2f} (Aufwand {effort:.3f})",
    ),
    "sim.after-briefing": (
        "    after briefing, under each standard model: {statement}",
        "    nach dem Briefing, unter jedem Standardmodell: {statement}",
    ),
}
