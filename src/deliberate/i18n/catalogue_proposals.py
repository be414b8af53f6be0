"""Messages of the proposal-file reader (domain/proposal_file.py)."""

MESSAGES: dict[str, dict[str, str]] = {
    "proposal_file.bad_paragraph_amendment": {
        "da": "{file}:{line}: ændringsforslag {number} ændrer et afsnit, men giver ingen ny "
        "tekst (eller et afsnit under 1).",
        "en": "{file}:{line}: amendment {number} changes a paragraph but gives no new text "
        "(or a paragraph below 1).",
    },
    "proposal_file.no_paragraph": {
        "da": "{file}: ændringsforslag {number} ændrer afsnit {paragraph}, men teksten har "
        "kun {count} afsnit.",
        "en": "{file}: amendment {number} changes paragraph {paragraph}, but the text has "
        "only {count} paragraphs.",
    },
    "proposal_file.empty_amendment_title": {
        "da": "{file}:{line}: ændringsforslag {number} har ingen overskrift.",
        "en": "{file}:{line}: amendment {number} has no heading.",
    },
    "proposal_file.bad_programme_file": {
        "da": "{file}:{line}: ugyldig programfil: {reason}",
        "en": "{file}:{line}: invalid programme file: {reason}",
    },
}
