"""Messages of voting, comments and the audit chain (services and their CLI commands)."""

MESSAGES: dict[str, dict[str, str]] = {
    # Results
    "voting.explain.draft": {
        "da": "Forslaget er endnu ikke åbnet for afstemning.",
        "en": "The proposal has not been opened for voting yet.",
    },
    "voting.explain.open": {
        "da": "Afstemningen er åben: {cast} af {eligible} har stemt.",
        "en": "Voting is open: {cast} of {eligible} have voted.",
    },
    # Refusals
    "voting.error.not_facilitator": {
        "da": "Kun en ordstyrer eller arrangør kan åbne og lukke afstemninger ('{handle}' er medlem).",
        "en": "Only a facilitator or organizer can open and close votes ('{handle}' is a member).",
    },
    "voting.error.already_open": {
        "da": "Afstemningen om '{proposal}' er allerede åben.",
        "en": "Voting on '{proposal}' is already open.",
    },
    "voting.error.reopen": {
        "da": "Afstemningen om '{proposal}' er lukket og kan ikke åbnes igen.",
        "en": "Voting on '{proposal}' is closed and cannot be reopened.",
    },
    "voting.error.not_open": {
        "da": "Forslaget '{proposal}' er ikke åbnet for afstemning endnu.",
        "en": "The proposal '{proposal}' has not been opened for voting yet.",
    },
    "voting.error.closed": {
        "da": "Afstemningen om '{proposal}' er lukket; der modtages ikke flere stemmer.",
        "en": "Voting on '{proposal}' is closed; no more votes are accepted.",
    },
    "voting.error.already_closed": {
        "da": "Afstemningen om '{proposal}' er allerede lukket.",
        "en": "Voting on '{proposal}' is already closed.",
    },
    "voting.error.not_expired": {
        "da": "Fristen for afstemningen om '{proposal}' er ikke udløbet.",
        "en": "The deadline for voting on '{proposal}' has not passed.",
    },
    "voting.error.deadline_passed": {
        "da": "Fristen for afstemningen om '{proposal}' er udløbet; afstemningen er nu lukket, og stemmen er ikke modtaget.",
        "en": "The deadline for voting on '{proposal}' has passed; voting is now closed and the vote was not accepted.",
    },
    "voting.error.deadline_in_past": {
        "da": "Fristen {closes_at} ligger i fortiden; vælg et senere tidspunkt.",
        "en": "The deadline {closes_at} is in the past; choose a later time.",
    },
    "voting.error.no_right_to_vote": {
        "da": "'{handle}' har ikke stemmeret.",
        "en": "'{handle}' has no right to vote.",
    },
    "voting.error.block_needs_reason": {
        "da": 'Bloker kræver en skriftlig begrundelse (--reason "...").',
        "en": 'Block needs a written reason (--reason "...").',
    },
    "voting.error.reason_too_long": {
        "da": "Begrundelsen er for lang (højst {limit} tegn).",
        "en": "The reason is too long (at most {limit} characters).",
    },
    "voting.error.amendments_only_conditional": {
        "da": "Ændringsforslag kan kun nævnes ved Betinget ja, ikke ved '{choice}'.",
        "en": "Amendments can only be named with Conditional yes, not with '{choice}'.",
    },
    "voting.error.conditional_needs_amendment": {
        "da": "Betinget ja skal nævne mindst ét af forslagets {count} ændringsforslag (--amendment N).",
        "en": "Conditional yes must name at least one of the proposal's {count} amendments (--amendment N).",
    },
    "voting.error.amendment_out_of_range": {
        "da": "Ændringsforslag {number} findes ikke; forslaget har ændringsforslag 1-{count}.",
        "en": "Amendment {number} does not exist; the proposal has amendments 1-{count}.",
    },
    "voting.error.no_amendments": {
        "da": "Ændringsforslag {number} findes ikke; forslaget har ingen ændringsforslag.",
        "en": "Amendment {number} does not exist; the proposal has no amendments.",
    },
    # Comments
    "comments.error.empty": {
        "da": "Kommentaren er tom.",
        "en": "The comment is empty.",
    },
    "comments.error.too_long": {
        "da": "Kommentaren er for lang (højst {limit} tegn).",
        "en": "The comment is too long (at most {limit} characters).",
    },
    "comments.error.unknown": {
        "da": "Ukendt kommentar {id}.",
        "en": "Unknown comment {id}.",
    },
    "comments.error.unknown_parent": {
        "da": "Kommentar {id} findes ikke på forslaget '{proposal}'.",
        "en": "Comment {id} does not exist on the proposal '{proposal}'.",
    },
    "comments.error.parent_deleted": {
        "da": "Kommentar {id} er slettet og kan ikke besvares.",
        "en": "Comment {id} has been deleted and cannot be replied to.",
    },
    "comments.error.reply_other_amendment": {
        "da": "Et svar hører til samme ændringsforslag som kommentar {id}; udelad --amendment.",
        "en": "A reply belongs to the same amendment as comment {id}; leave out --amendment.",
    },
    "comments.error.amendment_out_of_range": {
        "da": "Ændringsforslag {number} findes ikke; '{proposal}' har ændringsforslag 1-{count}.",
        "en": "Amendment {number} does not exist; '{proposal}' has amendments 1-{count}.",
    },
    "comments.error.no_amendments": {
        "da": "Ændringsforslag {number} findes ikke; '{proposal}' har ingen ændringsforslag.",
        "en": "Amendment {number} does not exist; '{proposal}' has no amendments.",
    },
    "comments.error.not_yours": {
        "da": "Kommentar {id} er ikke din.",
        "en": "Comment {id} is not yours.",
    },
    "comments.error.deleted": {
        "da": "Kommentar {id} er slettet.",
        "en": "Comment {id} has been deleted.",
    },
    # verify: one line per problem, saying what and where
    "audit.problem.gap": {
        "da": "Logpost {seq} ({action} {subject}): forventede løbenummer {expected} — en post mangler, eller rækkefølgen er ændret.",
        "en": "Log entry {seq} ({action} {subject}): expected sequence number {expected} — an entry is missing or the order was changed.",
    },
    "audit.problem.prev": {
        "da": "Logpost {seq} ({action} {subject}): prev_hash passer ikke med posten før — en post er fjernet, indsat eller flyttet.",
        "en": "Log entry {seq} ({action} {subject}): prev_hash does not match the entry before it — an entry was removed, inserted or moved.",
    },
    "audit.problem.hash": {
        "da": "Logpost {seq} ({action} {subject}): indholdet passer ikke med postens hash — posten er redigeret.",
        "en": "Log entry {seq} ({action} {subject}): its contents do not match its hash — the entry was edited.",
    },
    "audit.problem.unreadable": {
        "da": "Logpost {seq} ({action} {subject}): indholdet kan ikke læses.",
        "en": "Log entry {seq} ({action} {subject}): its contents cannot be read.",
    },
    "audit.problem.empty_log": {
        "da": "Revisionsloggen er tom, men databasen har {proposals} forslag og {members} medlemmer: intet står inde for dem. Er der endnu ikke stemt eller kommenteret, er det ventet; ellers er filen en ufuldstændig kopi (cp af et kørende forum mangler det nyeste — brug 'deliberate backup').",
        "en": "The audit log is empty, but the database holds {proposals} proposals and {members} members: nothing vouches for them. If nobody has voted or commented yet, that is expected; otherwise the file is an incomplete copy (cp of a running forum lacks the latest changes — use 'deliberate backup').",
    },
    "audit.problem.head": {
        "da": "Kædens hoved (post {head_seq}) passer ikke med den sidste post ({last_seq}) — poster i slutningen er fjernet eller ændret.",
        "en": "The chain head (entry {head_seq}) does not match the last entry ({last_seq}) — entries at the end were removed or changed.",
    },
    "audit.problem.opened_twice": {
        "da": "Logpost {seq}: '{proposal}' åbnes for anden gang.",
        "en": "Log entry {seq}: '{proposal}' is opened a second time.",
    },
    "audit.problem.vote_before_open": {
        "da": "Logpost {seq}: stemme på '{proposal}', før afstemningen blev åbnet.",
        "en": "Log entry {seq}: a vote on '{proposal}' before voting was opened.",
    },
    "audit.problem.vote_after_close": {
        "da": "Logpost {seq}: stemme på '{proposal}', efter afstemningen blev lukket.",
        "en": "Log entry {seq}: a vote on '{proposal}' after voting was closed.",
    },
    "audit.problem.version_gap": {
        "da": "Logpost {seq}: {member}s stemme version {version} på '{proposal}' følger efter version {previous}.",
        "en": "Log entry {seq}: {member}'s vote version {version} on '{proposal}' follows version {previous}.",
    },
    "audit.problem.close_out_of_order": {
        "da": "Logpost {seq}: '{proposal}' lukkes uden at være åben.",
        "en": "Log entry {seq}: '{proposal}' is closed without being open.",
    },
    "audit.problem.close_counts": {
        "da": "Logpost {seq}: optællingen ved lukning af '{proposal}' passer ikke med de loggede stemmer ({what}).",
        "en": "Log entry {seq}: the counts at the close of '{proposal}' do not match the logged votes ({what}).",
    },
    "audit.problem.close_outcome": {
        "da": "Logpost {seq}: resultatet '{logged}' for '{proposal}' følger ikke af regelsættet {rules} (giver '{expected}').",
        "en": "Log entry {seq}: the outcome '{logged}' for '{proposal}' does not follow from the rule set {rules} (gives '{expected}').",
    },
    "audit.problem.comment_edit_unknown": {
        "da": "Logpost {seq}: ændrer kommentar {comment}, som aldrig blev oprettet i loggen.",
        "en": "Log entry {seq}: changes comment {comment}, which was never created in the log.",
    },
    "audit.problem.status": {
        "da": "'{proposal}' har status {status}, men loggen siger {expected}.",
        "en": "'{proposal}' has status {status}, but the log says {expected}.",
    },
    "audit.problem.rules": {
        "da": "'{proposal}': det gemte regelsæt afviger fra det, der blev åbnet med (logpost {seq}).",
        "en": "'{proposal}': the stored rule set differs from the one it was opened with (log entry {seq}).",
    },
    "audit.problem.text_changed": {
        "da": "'{proposal}': teksten er ændret, efter afstemningen blev åbnet (logpost {seq}).",
        "en": "'{proposal}': the text was changed after voting opened (log entry {seq}).",
    },
    "audit.problem.proposal_missing": {
        "da": "'{proposal}' står i loggen, men findes ikke i databasen.",
        "en": "'{proposal}' is in the log but missing from the database.",
    },
    "audit.problem.vote_unlogged": {
        "da": "{member}s stemme på '{proposal}' i stemmetabellen har ingen post i loggen.",
        "en": "{member}'s vote on '{proposal}' in the votes table has no log entry.",
    },
    "audit.problem.vote_differs": {
        "da": "{member}s stemme på '{proposal}' i stemmetabellen afviger fra logpost {seq} ({what}).",
        "en": "{member}'s vote on '{proposal}' in the votes table differs from log entry {seq} ({what}).",
    },
    "audit.problem.vote_missing": {
        "da": "{member}s stemme på '{proposal}' (logpost {seq}) mangler i stemmetabellen.",
        "en": "{member}'s vote on '{proposal}' (log entry {seq}) is missing from the votes table.",
    },
    "audit.problem.history_unlogged": {
        "da": "Stemmehistorik: {member}s version {version} på '{proposal}' har ingen post i loggen.",
        "en": "Vote history: {member}'s version {version} on '{proposal}' has no log entry.",
    },
    "audit.problem.history_differs": {
        "da": "Stemmehistorik: {member}s version {version} på '{proposal}' afviger fra logpost {seq} ({what}).",
        "en": "Vote history: {member}'s version {version} on '{proposal}' differs from log entry {seq} ({what}).",
    },
    "audit.problem.history_missing": {
        "da": "Stemmehistorik: {member}s version {version} på '{proposal}' (logpost {seq}) mangler.",
        "en": "Vote history: {member}'s version {version} on '{proposal}' (log entry {seq}) is missing.",
    },
    "audit.problem.tally_unlogged": {
        "da": "Den gemte optælling for '{proposal}' har ingen lukkepost i loggen.",
        "en": "The stored tally of '{proposal}' has no close entry in the log.",
    },
    "audit.problem.tally_differs": {
        "da": "Den gemte optælling for '{proposal}' afviger fra lukkeposten {seq} ({what}).",
        "en": "The stored tally of '{proposal}' differs from close entry {seq} ({what}).",
    },
    "audit.problem.tally_missing": {
        "da": "'{proposal}' blev lukket (logpost {seq}), men optællingen mangler.",
        "en": "'{proposal}' was closed (log entry {seq}) but its tally is missing.",
    },
    "audit.problem.comment_unlogged": {
        "da": "Kommentar {comment} på '{proposal}' har ingen post i loggen.",
        "en": "Comment {comment} on '{proposal}' has no log entry.",
    },
    "audit.problem.comment_differs": {
        "da": "Kommentar {comment} på '{proposal}' afviger fra logpost {seq} ({what}).",
        "en": "Comment {comment} on '{proposal}' differs from log entry {seq} ({what}).",
    },
    "audit.problem.comment_missing": {
        "da": "Kommentar {comment} på '{proposal}' (logpost {seq}) mangler i databasen.",
        "en": "Comment {comment} on '{proposal}' (log entry {seq}) is missing from the database.",
    },
    "audit.problem.text_rehashed": {
        "da": "'{proposal}': den gemte tekst (titel, tekst eller ændringsforslag) passer ikke med dens hash — teksten er ændret uden om programmet.",
        "en": "'{proposal}': the stored text (title, body or amendments) does not match its hash — the text was changed outside the program.",
    },
    "audit.problem.draft_changed": {
        "da": "'{proposal}': tekstens hash afviger fra den, der blev logget ved import (logpost {seq}).",
        "en": "'{proposal}': the text hash differs from the one logged when it was imported (log entry {seq}).",
    },
    "audit.problem.proposal_unlogged": {
        "da": "'{proposal}' findes i databasen, men har ingen post i loggen.",
        "en": "'{proposal}' is in the database but has no log entry.",
    },
    "audit.problem.deadline": {
        "da": "'{proposal}': fristen {stored} afviger fra den loggede {logged} (logpost {seq}).",
        "en": "'{proposal}': the deadline {stored} differs from the logged {logged} (log entry {seq}).",
    },
    "audit.problem.member_unlogged": {
        "da": "Medlemmet {member} findes i databasen, men har ingen post i loggen.",
        "en": "Member {member} is in the database but has no log entry.",
    },
    "audit.problem.member_differs": {
        "da": "Medlemmet {member} afviger fra logpost {seq} ({what}).",
        "en": "Member {member} differs from log entry {seq} ({what}).",
    },
    "audit.problem.member_missing": {
        "da": "Medlemmet {member} (logpost {seq}) mangler i databasen.",
        "en": "Member {member} (log entry {seq}) is missing from the database.",
    },
    "audit.problem.member_order": {
        "da": "Logpost {seq}: {action} for {member} passer ikke med medlemmets tidligere poster.",
        "en": "Log entry {seq}: {action} for {member} does not fit the member's earlier entries.",
    },
    "audit.problem.witness_missing": {
        "da": "Vidnet {witness} findes ikke i kæden — loggen er rullet tilbage eller skrevet om, efter hovedet blev offentliggjort.",
        "en": "The witness {witness} is not in the chain — the log was rolled back or rewritten after that head was published.",
    },
    "audit.problem.more": {
        "da": "... og {n} problemer mere.",
        "en": "... and {n} more problems.",
    },
    # Command line
    "voting.cli.bad_witness": {
        "da": "'{witness}' er ikke et hoved: et vidne er 64 hexadecimale tegn (SHA-256).",
        "en": "'{witness}' is not a head: a witness is 64 hexadecimal characters (SHA-256).",
    },
    "voting.cli.witness_file": {
        "da": "Kan ikke læse vidnefilen {path}: {reason}.",
        "en": "Cannot read the witness file {path}: {reason}.",
    },
    "voting.cli.witness_found": {
        "da": "Vidne {witness}: i kæden som post {seq}.",
        "en": "Witness {witness}: in the chain as entry {seq}.",
    },
    "voting.cli.witness_hint": {
        "da": "Offentliggør hovedet; senere beviser denne kommando, at loggen stadig indeholder det:\n  {command}",
        "en": "Publish the head; later this command proves the log still contains it:\n  {command}",
    },
    "voting.cli.bad_time": {
        "da": "Ugyldigt tidspunkt '{value}': brug ISO 8601, fx 2026-11-30T18:00 eller 2026-11-30T17:00Z.",
        "en": "Invalid time '{value}': use ISO 8601, e.g. 2026-11-30T18:00 or 2026-11-30T17:00Z.",
    },
    "voting.cli.extend_needs_one": {
        "da": "Angiv enten --closes-at TIDSPUNKT eller --no-deadline.",
        "en": "Give either --closes-at TIME or --no-deadline.",
    },
    "voting.cli.opened": {
        "da": "Afstemningen om '{proposal}' er åben (regelsæt: {rules}).",
        "en": "Voting on '{proposal}' is open (rule set: {rules}).",
    },
    "voting.cli.deadline": {"da": "Frist: {closes_at}.", "en": "Deadline: {closes_at}."},
    "voting.cli.no_deadline": {
        "da": "Afstemningen om '{proposal}' har ikke længere en frist.",
        "en": "Voting on '{proposal}' no longer has a deadline.",
    },
    "voting.cli.closed": {
        "da": "Afstemningen om '{proposal}' er lukket, og resultatet er låst.",
        "en": "Voting on '{proposal}' is closed and the result is frozen.",
    },
    "voting.cli.vote_cast": {
        "da": "Din stemme på '{proposal}' er modtaget: {choice}.",
        "en": "Your vote on '{proposal}' was received: {choice}.",
    },
    "voting.cli.vote_changed": {
        "da": "Din stemme på '{proposal}' er ændret til {choice} (version {version}).",
        "en": "Your vote on '{proposal}' was changed to {choice} (version {version}).",
    },
    "voting.cli.receipt": {"da": "Kvittering: {receipt}", "en": "Receipt: {receipt}"},
    "voting.cli.amendments": {"da": "ændringsforslag {numbers}", "en": "amendments {numbers}"},
    "voting.cli.comment_added": {
        "da": "Kommentar #{id} tilføjet til '{proposal}'.",
        "en": "Comment #{id} added to '{proposal}'.",
    },
    "voting.cli.comment_edited": {
        "da": "Kommentar #{id} er rettet.",
        "en": "Comment #{id} edited.",
    },
    "voting.cli.comment_deleted": {
        "da": "Kommentar #{id} er slettet.",
        "en": "Comment #{id} deleted.",
    },
    "voting.cli.no_comments": {"da": "Ingen kommentarer endnu.", "en": "No comments yet."},
    "voting.cli.on_amendment": {"da": "om ændringsforslag {number}", "en": "on amendment {number}"},
    "voting.cli.edited": {"da": "rettet", "en": "edited"},
    "voting.cli.deleted": {"da": "[slettet]", "en": "[deleted]"},
    "voting.cli.rules": {"da": "regelsæt: {rules}", "en": "rule set: {rules}"},
    "voting.cli.closes": {"da": "frist: {closes_at}", "en": "deadline: {closes_at}"},
    "voting.cli.closed_at": {"da": "lukket: {closed_at}", "en": "closed: {closed_at}"},
    "voting.cli.support": {
        "da": "(nævner ændringsforslag {support})",
        "en": "(naming amendments {support})",
    },
    "voting.cli.cast": {
        "da": "Afgivne stemmer: {cast} af {eligible} stemmeberettigede",
        "en": "Votes cast: {cast} of {eligible} eligible members",
    },
    "voting.cli.outcome": {"da": "Resultat: {outcome}", "en": "Outcome: {outcome}"},
    "voting.cli.verify_ok": {
        "da": "OK: auditkæden og de {entries} logposter passer med databasen. Hoved-hash: {hash}",
        "en": "OK: the audit chain and its {entries} log entries match the database. Head hash: {hash}",
    },
    "voting.cli.verify_empty": {
        "da": "OK: forummet er tomt, og revisionsloggen er tom.",
        "en": "OK: the forum is empty, and so is the audit log.",
    },
    "voting.cli.verify_failed": {
        "da": "FEJL: {n} problem(er) fundet i {entries} logposter.",
        "en": "FAILED: {n} problem(s) found in {entries} log entries.",
    },
}
