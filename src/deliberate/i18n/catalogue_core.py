"""Messages of the UI-free core: errors and statuses shared by every front end."""

MESSAGES: dict[str, dict[str, str]] = {
    "unknown_language": {
        "da": "Ukendt sprog '{lang}' (brug da eller en).",
        "en": "Unknown language '{lang}' (use da or en).",
    },
    "unknown_choice": {
        "da": "Ukendt stemme '{choice}'. Brug ja, betinget-ja, udskyd, nej eller bloker.",
        "en": "Unknown choice '{choice}'. Use yes, conditional-yes, postpone, no or block "
        "(or ja, betinget-ja, udskyd, nej, bloker).",
    },
    "choice.ja": {"da": "Ja", "en": "Yes"},
    "choice.betinget_ja": {"da": "Betinget ja", "en": "Conditional yes"},
    "choice.udskyd": {"da": "Udskyd", "en": "Postpone"},
    "choice.nej": {"da": "Nej", "en": "No"},
    "choice.bloker": {"da": "Bloker", "en": "Block"},
    "choice.ja.help": {
        "da": "Godkend forslaget som det oprindeligt er skrevet.",
        "en": "Approve the proposal as originally written.",
    },
    "choice.betinget_ja.help": {
        "da": "Godkend kun med de ændringsforslag, du vælger.",
        "en": "Approve only with the amendments you name.",
    },
    "choice.udskyd.help": {
        "da": "Behandlingen bør udskydes til næste forum.",
        "en": "Treatment should be postponed to the next forum.",
    },
    "choice.nej.help": {"da": "Imod forslaget.", "en": "Against the proposal."},
    "choice.bloker.help": {
        "da": "Jeg kan ikke acceptere, at dette bliver vores politik. Kræver en begrundelse.",
        "en": "I could not accept this becoming our policy. Needs a written reason.",
    },
    "status.draft": {"da": "kladde", "en": "draft"},
    "status.debate": {"da": "debat", "en": "debate"},
    "status.voting": {"da": "afstemning åben", "en": "voting open"},
    "status.withdrawn": {"da": "trukket tilbage", "en": "withdrawn"},
    "status.closed": {"da": "afstemning lukket", "en": "voting closed"},
    "role.member": {"da": "medlem", "en": "member"},
    "role.facilitator": {"da": "ordstyrer", "en": "facilitator"},
    "role.organizer": {"da": "arrangør", "en": "organizer"},
    # Store and engine
    "db_not_initialised": {
        "da": "Databasen {where} er ikke oprettet eller er forældet. Kør 'deliberate init' først.",
        "en": "The database {where} is not set up or is out of date. Run 'deliberate init' first.",
    },
    "db_unreachable": {
        "da": "Kan ikke åbne databasen {where}: {reason}",
        "en": "Cannot open the database {where}: {reason}",
    },
    "db_bad_url": {
        "da": "Ugyldig database-adresse '{url}'.",
        "en": "Invalid database address '{url}'.",
    },
    "db_driver_missing": {
        "da": "Driveren til {url} er ikke installeret (PostgreSQL: pip install 'deliberate[postgres]').",
        "en": "The driver for {url} is not installed (PostgreSQL: pip install 'deliberate[postgres]').",
    },
    # Members
    "unknown_member": {"da": "Ukendt medlem '{handle}'.", "en": "Unknown member '{handle}'."},
    "inactive_member": {
        "da": "Medlemmet '{handle}' er ikke længere aktivt.",
        "en": "The member '{handle}' is no longer active.",
    },
    "member_exists": {
        "da": "Der findes allerede et medlem med brugernavnet '{handle}'.",
        "en": "A member with the handle '{handle}' already exists.",
    },
    "bad_handle": {
        "da": "Ugyldigt brugernavn '{handle}': brug 1-40 tegn, små bogstaver, tal, '.', '_' eller '-'.",
        "en": "Invalid handle '{handle}': use 1-40 characters, lower-case letters, digits, '.', '_' or '-'.",
    },
    "empty_name": {"da": "Navnet må ikke være tomt.", "en": "The name must not be empty."},
    "unknown_role": {
        "da": "Ukendt rolle '{role}' (brug member, facilitator eller organizer).",
        "en": "Unknown role '{role}' (use member, facilitator or organizer).",
    },
    "key_file_unreadable": {
        "da": "Kan ikke læse nøglefilen {path}: {reason}",
        "en": "Cannot read the key file {path}: {reason}",
    },
    "key_invalid": {
        "da": "{path} er ikke en gyldig offentlig OpenSSH-nøgle: {reason}",
        "en": "{path} is not a valid OpenSSH public key: {reason}",
    },
    "key_in_use": {
        "da": "Nøglen {fingerprint} er allerede registreret til '{handle}'.",
        "en": "The key {fingerprint} is already registered to '{handle}'.",
    },
    "key_private": {
        "da": "{path} er en privat nøgle. Giv den offentlige nøgle (.pub) — del aldrig den private.",
        "en": "{path} is a private key. Give the public key (.pub) — never share the private one.",
    },
    # Proposals
    "unknown_proposal": {
        "da": "Ukendt forslag '{proposal}'.",
        "en": "Unknown proposal '{proposal}'.",
    },
    # Import
    "import_path_missing": {
        "da": "{path}: findes ikke.",
        "en": "{path}: does not exist.",
    },
    "import_no_files": {
        "da": "Ingen forslagsfiler (.md) fundet i {paths}.",
        "en": "No proposal files (.md) found in {paths}.",
    },
    "import_not_utf8": {
        "da": "{file}:{line}: filen er ikke UTF-8.",
        "en": "{file}:{line}: the file is not UTF-8.",
    },
    "import_bad_front_matter": {
        "da": "{file}:{line}: ugyldig front matter: {reason}",
        "en": "{file}:{line}: invalid front matter: {reason}",
    },
    "import_empty_title": {
        "da": "{file}:{line}: forslaget har ingen titel.",
        "en": "{file}:{line}: the proposal has no title.",
    },
    "import_bad_field": {
        "da": "{file}:{line}: feltet '{field}' er ugyldigt: {reason}",
        "en": "{file}:{line}: the field '{field}' is invalid: {reason}",
    },
    "import_duplicate_id": {
        "da": "{file}: id '{id}' bruges også af {other}.",
        "en": "{file}: id '{id}' is also used by {other}.",
    },
    "import_frozen": {
        "da": "{file}: forslaget '{id}' er åbnet for afstemning, så teksten er låst; ændringen er ikke indlæst.",
        "en": "{file}: the proposal '{id}' has been opened for voting, so its text is frozen; the change was not imported.",
    },
    "import_bad_id": {
        "da": "{file}:{line}: ugyldigt id '{id}': brug bogstaver, tal, '.', '_' og '-'.",
        "en": "{file}:{line}: invalid id '{id}': use letters, digits, '.', '_' and '-'.",
    },
}
MESSAGES["import_failed"] = {
    "da": "{count} fil(er) blev afvist; intet er indlæst.",
    "en": "{count} file(s) were refused; nothing was imported.",
}
MESSAGES["db_error"] = {
    "da": "Databasefejl: {reason}",
    "en": "Database error: {reason}",
}
MESSAGES["internal_error"] = {
    "da": "Der skete en uventet fejl. Detaljer er skrevet i {log}.",
    "en": "An unexpected error happened. Details were written to {log}.",
}
