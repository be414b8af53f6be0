"""Messages of amendment decisions: separate amendment votes, the adopted text, amendment states."""

MESSAGES: dict[str, dict[str, str]] = {
    "unknown_answer": {
        "da": "Ukendt svar '{answer}' på et ændringsforslag. Brug ja, nej eller undlad.",
        "en": "Unknown answer '{answer}' to an amendment. Use yes, no or abstain "
        "(or ja, nej, undlad).",
    },
    "bad_amendment_vote": {
        "da": "'{value}' er ikke en stemme på et ændringsforslag: skriv NUMMER=SVAR, fx 2=ja.",
        "en": "'{value}' is not a vote on an amendment: write NUMBER=ANSWER, e.g. 2=yes.",
    },
    "voting.cli.amendment_answer": {
        "da": "Ændringsforslag {number}: {answer}",
        "en": "Amendment {number}: {answer}",
    },
    "answer.ja": {"da": "Ja", "en": "Yes"},
    "answer.nej": {"da": "Nej", "en": "No"},
    "answer.undlad": {"da": "Undlad", "en": "Abstain"},
    # Refusals of the vote (amendments = "separate")
    "voting.error.conditional_not_offered": {
        "da": "Betinget ja tilbydes ikke ved '{proposal}': hvert ændringsforslag har sin egen "
        "afstemning (--amendment-vote N=ja|nej|undlad).",
        "en": "Conditional yes is not offered on '{proposal}': each amendment has its own vote "
        "(--amendment-vote N=yes|no|abstain).",
    },
    "voting.error.amendment_votes_not_separate": {
        "da": "'{proposal}' stemmer ikke særskilt om ændringsforslag; brug Betinget ja med "
        "--amendment N.",
        "en": "'{proposal}' has no separate amendment votes; use Conditional yes with "
        "--amendment N.",
    },
    "voting.error.amendment_vote_out_of_range": {
        "da": "Ændringsforslag {number} findes ikke; forslaget har {count} ændringsforslag.",
        "en": "There is no amendment {number}; the proposal has {count} amendments.",
    },
    "voting.error.amendment_vote_twice": {
        "da": "Ændringsforslag {number} er nævnt to gange.",
        "en": "Amendment {number} is given twice.",
    },
    # The vote dialog with separate amendment votes
    "tui.vote.conditional_not_offered": {
        "da": "Tilbydes ikke: hvert ændringsforslag har sin egen afstemning.",
        "en": "Not offered: each amendment has its own vote.",
    },
    "tui.vote.answers_question": {
        "da": "Hvert ændringsforslag har sin egen afstemning. Dit svar på hvert:",
        "en": "Each amendment has its own vote. Your answer to each:",
    },
    "tui.vote.answers_hint": {
        "da": "j Ja · n Nej · u Undlad · Mellemrum skifter · Enter videre · Esc tilbage",
        "en": "j Yes · n No · u Abstain · Space cycles · Enter continue · Esc back",
    },
    "tui.vote.alternative_to": {
        "da": "alternativ til {numbers}: højst ét vedtages",
        "en": "alternative to {numbers}: at most one is carried",
    },
    "tui.key.answer_ja": {"da": "Ja", "en": "Yes"},
    "tui.key.answer_nej": {"da": "Nej", "en": "No"},
    "tui.key.answer_undlad": {"da": "Undlad", "en": "Abstain"},
    "tui.key.answer_cycle": {"da": "Næste svar", "en": "Next answer"},
    # Amendment states in lists (TUI amendments tab, minutes)
    "amendment.state.carried": {"da": "vedtaget", "en": "carried"},
    "amendment.state.not_carried": {"da": "ikke vedtaget", "en": "not carried"},
    "amendment.state.superseded": {
        "da": "ikke vedtaget (alternativ med flere stemmer)",
        "en": "not carried (superseded by an alternative)",
    },
    "amendment.state.tied": {
        "da": "ikke vedtaget (stemmelighed mellem alternativer)",
        "en": "not carried (alternatives tied)",
    },
    "amendment.state.adopted": {
        "da": "overtaget før afstemningen",
        "en": "adopted before the vote",
    },
    "amendment.state.withdrawn": {"da": "trukket tilbage", "en": "withdrawn"},
    # The adopted text
    "adopted.heading": {"da": "Vedtaget tekst", "en": "Adopted text"},
    "adopted.diff_heading": {
        "da": "Vedtaget tekst med ændringerne markeret",
        "en": "Adopted text with the changes marked",
    },
    "adopted.hash": {"da": "SHA-256 af den vedtagne tekst", "en": "SHA-256 of the adopted text"},
    "adopted.legend": {
        "da": "[-…-] er slettet, {+…+} er indsat.",
        "en": "[-…-] is deleted, {+…+} is inserted.",
    },
    "adopted.legend_marked": {
        "da": "Overstreget tekst er slettet, understreget tekst er indsat.",
        "en": "Struck-through text is deleted, underlined text is inserted.",
    },
    "adopted.instructions": {
        "da": "Vedtagne ændringsforslag til redaktionen",
        "en": "Carried amendments for the editors",
    },
    "adopted.instruction_item": {"da": "{number}. {title}", "en": "{number}. {title}"},
    "adopted.none": {
        "da": "'{proposal}' har ingen vedtaget tekst: {reason}",
        "en": "'{proposal}' has no adopted text: {reason}",
    },
    "adopted.none.not_closed": {
        "da": "afstemningen er ikke lukket.",
        "en": "voting has not closed.",
    },
    "adopted.none.not_adopted": {
        "da": "forslaget blev ikke vedtaget.",
        "en": "the proposal was not adopted.",
    },
    "adopted.none.before": {
        "da": "den blev lukket, før vedtagne tekster blev gemt.",
        "en": "it was closed before adopted texts were stored.",
    },
    "adopted.show_conflict": {
        "da": "Vælg én af --adopted og --diff.",
        "en": "Choose one of --adopted and --diff.",
    },
    "adopted.unchanged": {
        "da": "Ingen ændringsforslag ændrede teksten.",
        "en": "No amendment changed the text.",
    },
    "adopted.amendment_votes": {"da": "Stemmer om ændringsforslag", "en": "Votes on amendments"},
    "adopted.amendment_votes_line": {
        "da": "Ændringsforslag {number}: {ja} ja, {nej} nej, {undlad} undlad",
        "en": "Amendment {number}: {ja} yes, {nej} no, {undlad} abstain",
    },
}
