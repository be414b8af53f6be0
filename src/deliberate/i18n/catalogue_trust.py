"""Messages of the trust boundaries: arguments, import limits, member-written text limits."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "argument_not_utf8": {
        "da": "Argument {n} er ikke gyldig UTF-8: '{arg}'. Skriv det igen med UTF-8-tegn.",
        "en": "Argument {n} is not valid UTF-8: '{arg}'. Type it again in UTF-8.",
    },
    "import_duplicate_key": {
        "da": "{file}:{line}: feltet '{key}' står to gange (først i linje {first}).",
        "en": "{file}:{line}: the field '{key}' is given twice (first in line {first}).",
    },
    "import_title_too_long": {
        "da": "{file}:{line}: titlen er {length} tegn lang; højst {limit} er tilladt.",
        "en": "{file}:{line}: the title is {length} characters long; at most {limit} are allowed.",
    },
    "import_unreadable": {
        "da": "{file}: kan ikke læses: {reason}.",
        "en": "{file}: cannot be read: {reason}.",
    },
    "import_not_regular": {
        "da": "{file}: er ikke en almindelig fil (fx en FIFO eller en enhed) og er ikke indlæst.",
        "en": "{file}: is not a regular file (e.g. a FIFO or a device) and was not imported.",
    },
    "import_too_large": {
        "da": "{file}: filen er større end grænsen på {limit} (se --max-file-size).",
        "en": "{file}: the file is larger than the limit of {limit} (see --max-file-size).",
    },
    "import_too_deep": {
        "da": "{path}: mapperne ligger dybere end {limit} niveauer; del importen op.",
        "en": "{path}: folders are nested deeper than {limit} levels; split the import.",
    },
    "import_symlink_outside": {
        "da": "{file}: et symbolsk link, der peger uden for mappen, der indlæses; det følges ikke.",
        "en": "{file}: a symbolic link pointing outside the folder being imported; not followed.",
    },
    "comments.error.rate_limited": {
        "da": "Du har skrevet {limit} kommentarer inden for det seneste minut; vent lidt, før du skriver igen.",
        "en": "You have written {limit} comments in the last minute; wait a little before writing again.",
    },
    "cli.member_updated": {
        "da": "Medlemmet {handle} er ændret: {name} ({role}).",
        "en": "Member {handle} updated: {name} ({role}).",
    },
    "name_too_long": {
        "da": "Navnet er {length} tegn langt; højst {limit} er tilladt.",
        "en": "The name is {length} characters long; at most {limit} are allowed.",
    },
    "import_bad_size": {
        "da": "Ugyldig størrelse '{value}': skriv fx 2MB, 500kB eller et antal bytes.",
        "en": "Invalid size '{value}': write e.g. 2MB, 500kB or a number of bytes.",
    },
}
