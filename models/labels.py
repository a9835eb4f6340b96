"""The words of Gremium's outputs for people, in English and German: one catalogue.

Every heading, column title, legend entry, status and sheet name that a person reads in a
terminal table, CSV, Markdown, the portal fragment or a workbook comes from :data:`LABELS`
through :func:`label`; the scenario's own names (roles, activities, the organisation) are used
as written, in whatever language the scenario has them. Ids stay ids wherever a machine reads
the output back (JSON, and the id header row of CSV and workbooks).

The sentences the models write (explanations, lint findings, diagnoses, the
recommendation's reasons …) come from the sibling catalogue :mod:`models.messages`, in the
same two languages.

>>> label("legend", "de"), label("letter.S", "en")
('Legende', 'consent: must agree before introduction')
"""

from __future__ import annotations

from typing import Literal, get_args

Lang = Literal["en", "de"]
LANGS: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "en"

#: key -> (English, German)
LABELS: dict[str, tuple[str, str]] = {
    # matrix headings
    "activity": ("Activity", "Tätigkeit"),
    "id": ("ID", "Kennung"),
    "role": ("Role", "Rolle"),
    "roles": ("Roles", "Rollen"),
    "model": ("Governance model", "Governance-Modell"),
    "legend": ("Legend", "Legende"),
    "load": ("Load", "Auslastung"),
    "utilisation": ("Utilisation", "Auslastung"),
    "capacity": ("Capacity", "Kapazität"),
    "work": ("Load (person-days/month)", "Last (Personentage/Monat)"),
    "status": ("Status", "Status"),
    "message": ("Message", "Meldung"),
    "objective": ("Objective", "Zielfunktion"),
    "solver": ("Solver", "Solver"),
    "seconds": ("Seconds", "Sekunden"),
    "gap": ("Gap", "Lücke"),
    "diagnosis": ("Diagnosis", "Diagnose"),
    "fix": ("Fix", "Abhilfe"),
    "no-matrix": ("No matrix", "Keine Matrix"),
    "letter": ("Letter", "Buchstabe"),
    "summary.objective": ("objective", "Zielfunktion"),
    "summary.solver": ("solver", "Solver"),
    "summary.staffing": ("staffing", "Stellen"),
    "summary.lead": ("who leads", "Wer führt"),
    "reason": ("Reason", "Begründung"),
    # the letters (S: a works council's co-determination, §87 BetrVG)
    "letter.R": ("responsible", "durchführend"),
    "letter.A": ("accountable", "verantwortlich"),
    "letter.C": ("consulted", "konsultiert"),
    "letter.I": ("informed", "informiert"),
    "letter.A/R": ("accountable and responsible", "verantwortlich und durchführend"),
    "letter.S": ("consent: must agree before introduction", "Zustimmung: muss vorher zustimmen"),
    # governance models
    "variant.central": ("Central", "Zentral"),
    "variant.hub-and-spoke": ("Hub-and-spoke", "Hub-and-Spoke"),
    "variant.distributed": ("Distributed", "Dezentral"),
    "variant.multi-hub": ("Multi-hub", "Multi-Hub"),
    "variant.holistic": ("Holistic", "Ganzheitlich"),
    # statuses
    "status.optimal": ("optimal", "optimal"),
    "status.feasible": ("feasible", "zulässig"),
    "status.infeasible": ("infeasible", "unlösbar"),
    "status.not-applicable": ("not-applicable", "nicht anwendbar"),
    "status.error": ("error", "Fehler"),
    # objective terms
    "term.total": ("total", "gesamt"),
    "term.competence": ("competence", "Kompetenz"),
    "term.workload": ("workload", "Auslastung"),
    "term.communication": ("communication", "Kommunikation"),
    "term.alignment": ("alignment", "Modelltreue"),
    "term.consultation": ("consultation", "Beteiligung"),
    "term.staffing": ("staffing", "Stellen"),
    "term.change": ("change", "Änderung"),
    # lint
    "lint": ("Lint findings", "Prüfbefunde"),
    "severity": ("Severity", "Schwere"),
    "code": ("Code", "Code"),
    "scope": ("Scope", "Bereich"),
    "target": ("Target", "Ziel"),
    "severity.error": ("error", "Fehler"),
    "severity.warning": ("warning", "Warnung"),
    "severity.info": ("info", "Hinweis"),
    "scope.activity": ("activity", "Tätigkeit"),
    "scope.role": ("role", "Rolle"),
    "scope.matrix": ("matrix", "Matrix"),
    "no-findings": ("no findings", "keine Befunde"),
    # explanations
    "explanations": ("Explanations", "Erläuterungen"),
    "alternatives": ("Runner-ups", "Alternativen"),
    "accountable": ("Accountable", "Verantwortlich"),
    "runner-up": ("Runner-up", "Nächstbeste Wahl"),
    "cost-increase": ("Cost increase", "Mehrkosten"),
    # workbook sheets and the recommendation
    "overview": ("Overview", "Übersicht"),
    "workload": ("Workload", "Auslastung"),
    "ranking": ("Ranking", "Rangfolge"),
    "rank": ("Rank", "Rang"),
    "score": ("Score", "Punktzahl"),
    "fit": ("Fit", "Passung"),
    "fit.fits": ("fits", "passt"),
    "fit.neutral": ("neutral", "neutral"),
    "fit.does-not-fit": ("does not fit", "passt nicht"),
    "part.headroom": ("headroom", "Spielraum"),
    "part.spread": ("spread", "Verteilung"),
    "part.competence": ("competence", "Kompetenz"),
    "part.consultation": ("consultation", "Beteiligung"),
    "part.consent": ("consent", "Zustimmung"),
    "part.acceptance": ("acceptance", "Akzeptanz"),
    "dominated-by": ("Dominated by", "Dominiert von"),
    "summary": ("Summary", "Zusammenfassung"),
    "trade-offs": ("Trade-offs", "Abwägungen"),
    "stability": ("Stability", "Stabilität"),
    "not-checked": ("Stability was not checked.", "Stabilität nicht geprüft."),
    "path": ("Staged path", "Stufenweiser Weg"),
    "no-path": ("No staged path.", "Kein stufenweiser Weg."),
    "stage": ("Stage", "Stufe"),
    "moved": ("Cells that move", "Geänderte Zellen"),
    "cells-move": ("cell(s) move", "Zelle(n) ändern sich"),
    "trigger": ("Trigger", "Auslöser"),
    "rule": ("Ranking rule", "Rangregel"),
    "passes": ("Passes", "Angenommen"),
    "margin": ("Margin", "Abstand"),
    "probability": ("Probability", "Wahrscheinlichkeit"),
    "interval": ("95 % interval", "95-%-Intervall"),
    "vetoes": ("Vetoes", "Vetos"),
    "yes": ("yes", "ja"),
    "no": ("no", "nein"),
    "objective-total": ("Objective (lower is better)", "Zielfunktion (kleiner ist besser)"),
    "fits": ("Fit criteria met", "Erfüllte Kriterien"),
    "errors": ("Errors", "Fehler"),
    "warnings": ("Warnings", "Warnungen"),
    "formula": ("How the score is computed", "Wie die Punktzahl entsteht"),
    "recommended": ("Recommended", "Empfohlen"),
    "none-recommended": (
        "No governance model has a RACI matrix; the ranking says why.",
        "Kein Governance-Modell hat eine RACI-Matrix; die Rangfolge sagt, warum.",
    ),
    "discussion": ("Discussion", "Diskussion"),
    "support": ("Simulated support", "Simulierte Zustimmung"),
    "no-discussion": ("No discussion was simulated.", "Keine Diskussion simuliert."),
    "scenario": ("Organisation", "Organisation"),
    "before": ("Before", "Vorher"),
    "after": ("After", "Nachher"),
    "delta": ("Change", "Differenz"),
    "term": ("Term", "Term"),
    "diff.changes": ("Cells that change", "Zellen, die sich ändern"),
    "diff.appear": ("Findings that appear", "Neue Befunde"),
    "diff.disappear": ("Findings that disappear", "Entfallende Befunde"),
    "diff.none": ("none", "keine"),
    # pictures
    "round": ("round", "Runde"),
    "position": ("position (0 = against, 1 = for)", "Position (0 = dagegen, 1 = dafür)"),
    "final-position": ("final position on", "Endposition zu"),
    "threshold": ("support threshold", "Zustimmungsschwelle"),
    "proposal-passes": ("proposal passes", "Vorschlag angenommen"),
    "proposal-fails": ("proposal fails", "Vorschlag abgelehnt"),
    "rounds": ("rounds", "Runden"),
    "not-converged": ("not converged", "nicht konvergiert"),
    "more-stakeholders": ("more not shown", "weitere nicht gezeigt"),
    "network": ("Who sways whom", "Wer wen beeinflusst"),
    "network-key": (
        "Arrow: who sways whom (width: how much is listened to) · size: social power · "
        "colour: final position · thick ring: veto",
        "Pfeil: wer wen beeinflusst (Breite: wie stark gehört wird) · Größe: soziale Macht · "
        "Farbe: Endposition · dicker Ring: Veto",
    ),
    "score-by-model": ("Score per model and its parts", "Punktzahl je Modell und ihre Teile"),
    "weight-ranges": (
        "Where {winner} holds: each objective weight scaled",
        "Wo {winner} hält: jedes Zielgewicht skaliert",
    ),
    "flips-to": ("flips to", "kippt zu"),
    "factor": ("factor on the weight (1 = as given)", "Faktor auf das Gewicht (1 = wie gegeben)"),
    "unchecked": ("not checked in time", "nicht rechtzeitig geprüft"),
    "profile-flips": ("Profile changes that flip it", "Profiländerungen, die sie kippen"),
    "no-profile-flips": (
        "No single change of the profile flips it.",
        "Keine einzelne Profiländerung kippt sie.",
    ),
    "attribute.headcount": ("headcount", "Mitarbeitende"),
    "attribute.business_units": ("business units", "Geschäftsbereiche"),
    "attribute.regulated": ("regulated", "reguliert"),
    "attribute.maturity": ("maturity", "Reife"),
    "attribute.executive_sponsorship": ("executive sponsorship", "Rückhalt der Führung"),
    # the deck
    "deck-subtitle": (
        "Social-media governance: who does what, and will it pass?",
        "Social-Media-Governance: Wer macht was, und wird es angenommen?",
    ),
    "continued": ("continued", "Fortsetzung"),
    "roles-part": ("roles", "Rollen"),
    "briefing": ("Briefing plan", "Briefing-Plan"),
    "brief": ("brief", "briefen"),
    "effort": ("effort", "Aufwand"),
    "strategy.least-effort": ("least effort", "geringster Aufwand"),
    "strategy.sandwich": ("sandwich (top and base)", "Sandwich (Spitze und Basis)"),
    "no-plan": ("No briefing plan was computed.", "Kein Briefing-Plan berechnet."),
    "stakeholder": ("Stakeholder", "Stakeholder"),
    "from-to": ("position before → after", "Position vorher → nachher"),
    "without-briefing": ("without briefing", "ohne Briefing"),
}


def label(key: str, lang: Lang = DEFAULT_LANG) -> str:
    """The text of ``key`` in ``lang``; ``KeyError`` for a key the catalogue lacks."""
    return LABELS[key][LANGS.index(lang)]
