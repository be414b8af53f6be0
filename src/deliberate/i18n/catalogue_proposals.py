"""Messages of the proposal-file reader (domain/proposal_file.py)."""

MESSAGES: dict[str, dict[str, str]] = {
    "proposal_file.empty_amendment_title": {
        "da": "{file}:{line}: ændringsforslag {number} har ingen overskrift.",
        "en": "{file}:{line}: amendment {number} has no heading.",
    },
    "proposal_file.bad_programme_file": {
        "da": "{file}:{line}: ugyldig programfil: {reason}",
        "en": "{file}:{line}: invalid programme file: {reason}",
    },
}
