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
    "unknown_member_login_hint": {
        "da": "Det er dit login-navn; sig hvem du er med --as HANDLE eller DELIBERATE_MEMBER=HANDLE.",
        "en": "That is your login name; say who you are with --as HANDLE or DELIBERATE_MEMBER=HANDLE.",
    },
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
    "import_bad_front_matter": {"da": "{file}:{line}: {reason}", "en": "{file}:{line}: {reason}"},
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
MESSAGES.update(
    {
        # Why a file operation failed (i18n.os_reason), inside other messages
        "os.not_found": {"da": "filen findes ikke", "en": "no such file"},
        "os.permission_denied": {"da": "adgang nægtet", "en": "permission denied"},
        "os.is_a_directory": {"da": "det er en mappe", "en": "it is a folder"},
        "os.not_a_directory": {
            "da": "en del af stien er ikke en mappe",
            "en": "part of the path is not a folder",
        },
        "os.no_space": {"da": "disken er fuld", "en": "the disk is full"},
        "os.read_only": {
            "da": "filsystemet er skrivebeskyttet",
            "en": "the file system is read-only",
        },
        "os.other": {"da": "systemfejl {errno}", "en": "system error {errno}"},
        "os.address_in_use": {
            "da": "adressen er allerede i brug",
            "en": "the address is already in use",
        },
        "os.not_a_text_file": {"da": "ikke en tekstfil", "en": "not a text file"},
        "os.not_utf8": {"da": "teksten er ikke UTF-8", "en": "the text is not UTF-8"},
        "os.too_large_or_not_a_file": {
            "da": "ikke en almindelig fil, eller for stor",
            "en": "not a regular file, or too large",
        },
        # Proposal files: what is wrong, inside import_bad_front_matter / import_bad_field
        "front_matter.bad_yaml": {
            "da": "ugyldig YAML i front matter, linje {line}",
            "en": "invalid YAML in the front matter, line {line}",
        },
        "front_matter.problem": {
            "da": "ugyldig front matter: {what}",
            "en": "invalid front matter: {what}",
        },
        "yaml.invalid": {"da": "ugyldig YAML", "en": "invalid YAML"},
        "yaml.bad_character": {
            "da": "et tegn, YAML ikke tillader",
            "en": "a character YAML does not allow",
        },
        "yaml.too_deep": {"da": "for dybt indlejret", "en": "nested too deeply"},
        "yaml.not_fields": {
            "da": "forventede felter (navn: værdi), fandt {kind}",
            "en": "expected fields (name: value), got {kind}",
        },
        "yaml.a_list": {"da": "en liste", "en": "a list"},
        "yaml.plain_text": {"da": "almindelig tekst", "en": "plain text"},
        "field.expected_text": {"da": "forventede tekst", "en": "expected text"},
        "field.expected_names": {
            "da": "forventede et navn eller en liste af navne",
            "en": "expected a name or a list of names",
        },
        "front_matter.unclosed": {
            "da": "ingen afsluttende '---'-linje",
            "en": "no closing '---' line",
        },
    }
)
