"""Messages of `deliberate backup` and `deliberate restore`."""

MESSAGES: dict[str, dict[str, str]] = {
    "backup.postgres": {
        "da": "backup kopierer kun SQLite-forummer. En PostgreSQL-database sikkerhedskopieres med "
        "pg_dump (fx pg_dump -Fc -f forum.dump URL) og gendannes med pg_restore; "
        "se docs/organizers.md.",
        "en": "backup copies SQLite forums only. Back up a PostgreSQL database with pg_dump "
        "(e.g. pg_dump -Fc -f forum.dump URL) and restore it with pg_restore; "
        "see docs/organizers.md.",
    },
    "restore.postgres": {
        "da": "restore gendanner kun SQLite-forummer. En PostgreSQL-database gendannes med "
        "pg_restore fra en pg_dump-fil; se docs/organizers.md.",
        "en": "restore handles SQLite forums only. Restore a PostgreSQL database with pg_restore "
        "from a pg_dump file; see docs/organizers.md.",
    },
    "backup.exists": {
        "da": "{path} findes allerede; en sikkerhedskopi overskriver aldrig en fil. Vælg et nyt navn.",
        "en": "{path} already exists; a backup never overwrites a file. Choose a new name.",
    },
    "backup.cannot_write": {
        "da": "Kan ikke skrive sikkerhedskopien {path}: {reason}.",
        "en": "Cannot write the backup {path}: {reason}.",
    },
    "backup.done": {
        "da": "Sikkerhedskopi skrevet: {path} ({entries} logposter, verify OK).\n"
        "Hoved-hash: {hash}",
        "en": "Backup written: {path} ({entries} log entries, verify OK).\nHead hash: {hash}",
    },
    "backup.not_verified": {
        "da": "Sikkerhedskopien {path} er skrevet, men verify fandt {n} problem(er) — i forummet "
        "selv, for kopien er tro mod det. Kør 'deliberate verify' på forummet.",
        "en": "The backup {path} was written, but verify found {n} problem(s) — in the forum "
        "itself, as the copy is faithful. Run 'deliberate verify' on the forum.",
    },
    "restore.cannot_read": {
        "da": "Kan ikke læse sikkerhedskopien {path}: {reason}.",
        "en": "Cannot read the backup {path}: {reason}.",
    },
    "restore.not_a_forum": {
        "da": "{path} er ikke en sikkerhedskopi af et deliberate-forum.",
        "en": "{path} is not a backup of a deliberate forum.",
    },
    "restore.old_schema": {
        "da": "{path} er fra en anden version af deliberate (skema {revision}); kør "
        "'deliberate --db {path} init' på en kopi af den først.",
        "en": "{path} is from another version of deliberate (schema {revision}); run "
        "'deliberate --db {path} init' on a copy of it first.",
    },
    "restore.not_verified": {
        "da": "Sikkerhedskopien {path} består ikke verify ({n} problem(er)); intet er gendannet.",
        "en": "The backup {path} does not pass verify ({n} problem(s)); nothing was restored.",
    },
    "restore.in_use": {
        "da": "Forummet {where} er i brug (en SSH-server, en TUI eller en anden kommando har det "
        "åbent). Stop dem, og gendan derefter; intet er ændret.",
        "en": "The forum {where} is in use (an SSH server, a TUI or another command has it "
        "open). Stop them, then restore; nothing was changed.",
    },
    "restore.not_empty": {
        "da": "Forummet {where} indeholder allerede data; tilføj --force for at erstatte det med "
        "{path}. Intet er ændret.",
        "en": "The forum {where} already holds data; add --force to replace it with {path}. "
        "Nothing was changed.",
    },
    "restore.done": {
        "da": "Gendannet: {where} fra {path} ({entries} logposter, verify OK).\nHoved-hash: {hash}",
        "en": "Restored: {where} from {path} ({entries} log entries, verify OK).\n"
        "Head hash: {hash}",
    },
}
