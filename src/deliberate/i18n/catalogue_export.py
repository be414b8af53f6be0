"""Messages of exports (CSV, JSON, minutes, HTML report) and `import-json`."""

MESSAGES: dict[str, dict[str, str]] = {
    # Errors
    "export.unknown_meeting": {"da": "Ukendt møde {meeting}.", "en": "Unknown session {meeting}."},
    "export.unknown_format": {
        "da": "Ukendt format '{format}' (brug csv, json, md eller html).",
        "en": "Unknown format '{format}' (use csv, json, md or html).",
    },
    "export.proposal_and_session": {
        "da": "Brug enten --proposal eller --session, ikke begge.",
        "en": "Use either --proposal or --session, not both.",
    },
    "export.json_whole_forum": {
        "da": "JSON-eksporten er altid hele forummet (så den kan indlæses og kontrolleres); "
        "{option} gælder kun csv, md og html.",
        "en": "The JSON export is always the whole forum (so it can be loaded and checked); "
        "{option} applies to csv, md and html only.",
    },
    "export.table_not_csv": {
        "da": "--table gælder kun --format csv.",
        "en": "--table applies to --format csv only.",
    },
    "export.bad_table": {
        "da": "Ukendt tabel '{table}' (brug results eller ballots).",
        "en": "Unknown table '{table}' (use results or ballots).",
    },
    "export.ballots_anonymous": {
        "da": "Stemmesedlerne kan ikke eksporteres med --anonymous (de navngiver hvem der stemte hvad).",
        "en": "The ballots cannot be exported with --anonymous (they name who voted what).",
    },
    "export.out_unwritable": {
        "da": "Kan ikke skrive {path}: {reason}",
        "en": "Cannot write {path}: {reason}",
    },
    "export.out_missing_folder": {
        "da": "Mappen {path} findes ikke.",
        "en": "The folder {path} does not exist.",
    },
    "export.import_unreadable": {
        "da": "Kan ikke læse {file}: {reason}",
        "en": "Cannot read {file}: {reason}",
    },
    "export.import_not_json": {
        "da": "{file}: ikke gyldig JSON (linje {line}, kolonne {column}): {reason}",
        "en": "{file}: not valid JSON (line {line}, column {column}): {reason}",
    },
    "export.import_wrong_format": {
        "da": '{file}: ikke en forum-eksport fra deliberate (feltet "format" skal være "{format}").',
        "en": '{file}: not a deliberate forum export (the field "format" must be "{format}").',
    },
    "export.import_wrong_version": {
        "da": "{file}: eksportformat version {version} kendes ikke (denne udgave læser version {supported}).",
        "en": "{file}: export format version {version} is not known (this release reads version {supported}).",
    },
    "export.import_invalid": {
        "da": "{file}: {where}: {reason}",
        "en": "{file}: {where}: {reason}",
    },
    "export.import_not_empty": {
        "da": "Databasen {where} er ikke tom; import-json indlæser kun i en ny, tom database "
        "(opret den med 'deliberate --db NY init').",
        "en": "The database {where} is not empty; import-json loads only into a new, empty database "
        "(create one with 'deliberate --db NEW init').",
    },
    "export.import_rejected": {
        "da": "{file}: databasen afviste indholdet, intet er indlæst: {reason}",
        "en": "{file}: the database refused the content, nothing was loaded: {reason}",
    },
    "export.import_check_failed": {
        "da": "{file}: kontrollen efter indlæsning fejlede, intet er indlæst: {reason}",
        "en": "{file}: the check after loading failed, nothing was loaded: {reason}",
    },
    # CLI reports (stdout)
    "export.wrote": {
        "da": "Skrevet: {path} (rækker: {rows})",
        "en": "Written: {path} (rows: {rows})",
    },
    "export.wrote_file": {"da": "Skrevet: {path}", "en": "Written: {path}"},
    "export.imported": {
        "da": "Indlæst: {members} medlemmer, {proposals} forslag, {votes} stemmer, {comments} "
        "kommentarer, {entries} logposter. Loggens hoved (post {seq}): {hash}. Kæden er kontrolleret.",
        "en": "Loaded: {members} members, {proposals} proposals, {votes} votes, {comments} comments, "
        "{entries} log entries. Log head (entry {seq}): {hash}. The chain was checked.",
    },
    # Minutes and report
    "export.minutes.title": {"da": "Referat", "en": "Minutes"},
    "export.minutes.results_title": {"da": "Afstemningsresultater", "en": "Voting results"},
    "export.minutes.session": {"da": "Møde: {title}", "en": "Session: {title}"},
    "export.minutes.session_times": {
        "da": "Afholdt {start} – {end}.",
        "en": "Held {start} – {end}.",
    },
    "export.minutes.exported": {"da": "Udskrevet {time} (UTC).", "en": "Exported {time} (UTC)."},
    "export.minutes.item": {"da": "Dagsordenspunkt {n}", "en": "Agenda item {n}"},
    "export.minutes.programme_section": {
        "da": "{programme}, afsnit {section}",
        "en": "{programme}, section {section}",
    },
    "export.minutes.section": {"da": "Afsnit {section}", "en": "Section {section}"},
    "export.minutes.programme": {"da": "Program", "en": "Programme"},
    "export.minutes.standalone": {"da": "Selvstændigt forslag", "en": "Stand-alone proposal"},
    "export.minutes.id": {"da": "Forslag", "en": "Proposal"},
    "export.minutes.hash": {"da": "Tekstens SHA-256", "en": "Text SHA-256"},
    "export.minutes.amendments": {"da": "Forslag til ændringer", "en": "Amendments"},
    "export.minutes.no_amendments": {"da": "Ingen ændringsforslag.", "en": "No amendments."},
    "export.minutes.counts": {"da": "Stemmer", "en": "Votes"},
    "export.minutes.choice": {"da": "Stemme", "en": "Choice"},
    "export.minutes.number": {"da": "Antal", "en": "Count"},
    "export.minutes.cast_eligible": {
        "da": "Stemmer afgivet: {cast} af {eligible} stemmeberettigede.",
        "en": "Votes cast: {cast} of {eligible} eligible.",
    },
    "export.minutes.outcome": {"da": "Resultat", "en": "Outcome"},
    "export.minutes.status": {"da": "Status", "en": "Status"},
    "export.minutes.rules": {"da": "Beslutningsregler", "en": "Decision rules"},
    "export.minutes.explanation": {"da": "Begrundelse", "en": "Explanation"},
    "export.minutes.carried": {"da": "Vedtagne ændringsforslag", "en": "Carried amendments"},
    "export.minutes.none_carried": {"da": "ingen", "en": "none"},
    "export.minutes.block_reasons": {
        "da": "Begrundelser for Bloker",
        "en": "Reasons given for Block",
    },
    "export.minutes.anonymous": {"da": "Anonymt", "en": "Anonymous"},
    "export.minutes.not_voted": {
        "da": "Forslaget er ikke sat til afstemning.",
        "en": "The proposal has not been put to a vote.",
    },
    "export.minutes.still_open": {
        "da": "Afstemningen er stadig åben; tallene er foreløbige.",
        "en": "Voting is still open; the counts are provisional.",
    },
    "export.minutes.nothing": {"da": "Ingen forslag at vise.", "en": "No proposals to show."},
    "export.minutes.audit_heading": {"da": "Kontrol", "en": "Verification"},
    "export.minutes.audit_head": {
        "da": "Loggens hoved (post {seq})",
        "en": "Audit log head (entry {seq})",
    },
    "export.minutes.verify_hint": {
        "da": "Kør 'deliberate verify' som herunder på forummets database (eller på en database "
        "indlæst med 'deliberate import-json' fra den offentliggjorte JSON-eksport): den "
        "genberegner hele kæden og beviser, at den stadig indeholder dette hoved. Fejler den, er "
        "loggen rullet tilbage eller skrevet om siden dette referat.",
        "en": "Run 'deliberate verify' as below on the forum's database (or on one loaded with "
        "'deliberate import-json' from the published JSON export): it recomputes the whole chain "
        "and proves that the chain still contains this head. If it fails, the log was rolled back "
        "or rewritten since these minutes.",
    },
    "export.html.chart": {
        "da": "Stemmefordeling: {title}",
        "en": "Distribution of votes: {title}",
    },
    "export.html.generated_by": {"da": "Lavet med deliberate", "en": "Made with deliberate"},
}
