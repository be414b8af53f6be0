"""Messages the command line prints."""

MESSAGES: dict[str, dict[str, str]] = {
    "cli.init_created": {
        "da": "Databasen er oprettet: {where} (skema {revision}).",
        "en": "Database created: {where} (schema {revision}).",
    },
    "cli.init_upgraded": {
        "da": "Databasen er opgraderet: {where} (skema {revision}).",
        "en": "Database upgraded: {where} (schema {revision}).",
    },
    "cli.init_unchanged": {
        "da": "Databasen er allerede opdateret: {where} (skema {revision}).",
        "en": "Database already up to date: {where} (schema {revision}).",
    },
    "cli.import_done": {
        "da": "Indlæst: {created} nye, {updated} opdaterede, {unchanged} uændrede forslag.",
        "en": "Imported: {created} new, {updated} updated, {unchanged} unchanged proposals.",
    },
    "cli.member_added": {
        "da": "Medlem tilføjet: {handle} ({name}, {role}).",
        "en": "Member added: {handle} ({name}, {role}).",
    },
    "cli.key_added": {
        "da": "Nøgle {fingerprint} registreret til {handle}.",
        "en": "Key {fingerprint} registered to {handle}.",
    },
    "cli.member_removed": {
        "da": "Medlemmet {handle} er deaktiveret; tidligere stemmer og kommentarer bevares.",
        "en": "Member {handle} deactivated; past votes and comments are kept.",
    },
    "cli.no_members": {
        "da": "Ingen medlemmer endnu. Tilføj med 'deliberate member add'.",
        "en": "No members yet. Add one with 'deliberate member add'.",
    },
    "cli.no_proposals": {
        "da": "Ingen forslag endnu. Indlæs med 'deliberate import'.",
        "en": "No proposals yet. Import some with 'deliberate import'.",
    },
    "cli.flag_no_vote": {"da": "uden stemmeret", "en": "no vote"},
    "cli.flag_inactive": {"da": "deaktiveret", "en": "deactivated"},
    "cli.flag_keys": {"da": "{n} nøgle(r)", "en": "{n} key(s)"},
    "cli.standalone": {"da": "Selvstændige forslag", "en": "Stand-alone proposals"},
    "cli.n_amendments": {"da": "{n} ændringsforslag", "en": "{n} amendment(s)"},
    "cli.amendments_heading": {"da": "Forslag til ændringer", "en": "Amendments"},
    "cli.content_hash": {"da": "Tekstens SHA-256: {hash}", "en": "Text SHA-256: {hash}"},
    "cli.demo_built": {"da": "Demoforum bygget i {where}.", "en": "Demo forum built in {where}."},
}
