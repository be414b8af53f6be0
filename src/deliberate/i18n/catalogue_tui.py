"""Messages of the member app (TUI): labels, keys, notifications, help."""

MESSAGES: dict[str, dict[str, str]] = {
    # Keys (footer and help screen): tui.key.<binding id>
    "tui.key.help": {"da": "Hjælp", "en": "Help"},
    "tui.key.quit": {"da": "Afslut", "en": "Quit"},
    "tui.key.quit_now": {"da": "Afslut straks", "en": "Quit now"},
    "tui.key.language": {"da": "English", "en": "Dansk"},
    "tui.key.mode.forum": {"da": "Forum", "en": "Forum"},
    "tui.key.search": {"da": "Søg", "en": "Search"},
    "tui.key.filter": {"da": "Filter", "en": "Filter"},
    "tui.key.next_needs_vote": {"da": "Mangler stemme", "en": "Needs vote"},
    "tui.key.support": {"da": "Støt", "en": "Support"},
    "tui.key.new_proposal": {"da": "Nyt forslag", "en": "New proposal"},
    "tui.key.leave_search": {"da": "Til listen", "en": "To the list"},
    "tui.key.open": {"da": "Åbn", "en": "Open"},
    "tui.key.back": {"da": "Tilbage", "en": "Back"},
    "tui.key.vote": {"da": "Stem", "en": "Vote"},
    "tui.key.vote_1": {"da": "Ja", "en": "Yes"},
    "tui.key.vote_2": {"da": "Betinget ja", "en": "Conditional yes"},
    "tui.key.vote_3": {"da": "Udskyd", "en": "Postpone"},
    "tui.key.vote_4": {"da": "Nej", "en": "No"},
    "tui.key.vote_5": {"da": "Bloker", "en": "Block"},
    "tui.key.tab_text": {"da": "Tekst", "en": "Text"},
    "tui.key.tab_amendments": {"da": "Ændringsforslag", "en": "Amendments"},
    "tui.key.tab_comments": {"da": "Kommentarer", "en": "Comments"},
    "tui.key.tab_vote": {"da": "Afstemning", "en": "Voting"},
    "tui.key.comment": {"da": "Kommentér", "en": "Comment"},
    "tui.key.reply": {"da": "Svar", "en": "Reply"},
    "tui.key.edit": {"da": "Redigér", "en": "Edit"},
    "tui.key.delete": {"da": "Slet", "en": "Delete"},
    "tui.key.next_amendment": {"da": "Næste", "en": "Next"},
    "tui.key.previous_amendment": {"da": "Forrige", "en": "Previous"},
    "tui.key.save": {"da": "Gem", "en": "Save"},
    "tui.key.cancel": {"da": "Annullér", "en": "Cancel"},
    "tui.key.confirm": {"da": "Bekræft", "en": "Confirm"},
    "tui.key.toggle": {"da": "Vælg/fravælg", "en": "Select/deselect"},
    "tui.key.continue": {"da": "Videre", "en": "Continue"},
    "tui.key.close": {"da": "Luk", "en": "Close"},
    "tui.key.scroll_down": {"da": "Rul ned", "en": "Scroll down"},
    "tui.key.scroll_up": {"da": "Rul op", "en": "Scroll up"},
    "tui.key.palette": {"da": "kommandoer", "en": "commands"},
    "tui.key.cursor_up": {"da": "Op", "en": "Up"},
    "tui.key.cursor_down": {"da": "Ned", "en": "Down"},
    "tui.key.page_up": {"da": "Side op", "en": "Page up"},
    "tui.key.page_down": {"da": "Side ned", "en": "Page down"},
    "tui.key.first": {"da": "Første", "en": "First"},
    "tui.key.last": {"da": "Sidste", "en": "Last"},
    # Command palette (no screenshot command: it would write files on the server)
    "tui.cmd.help": {"da": "Hjælp", "en": "Help"},
    "tui.cmd.help.help": {
        "da": "Vis alle taster og hvad de gør",
        "en": "Show every key and what it does",
    },
    "tui.cmd.language": {"da": "Sprog: English", "en": "Language: Dansk"},
    "tui.cmd.language.help": {
        "da": "Skift mellem dansk og engelsk",
        "en": "Switch between Danish and English",
    },
    "tui.cmd.theme": {"da": "Farvetema", "en": "Theme"},
    "tui.cmd.theme.help": {"da": "Skift farvetema", "en": "Change the colour theme"},
    "tui.cmd.quit": {"da": "Afslut", "en": "Quit"},
    "tui.cmd.quit.help": {"da": "Luk programmet", "en": "Close the app"},
    # App-wide notices and errors
    "tui.language_set": {"da": "Sproget er nu dansk.", "en": "The language is now English."},
    "tui.link_not_opened": {
        "da": "Links åbnes ikke herfra. Linket peger på: {url}",
        "en": "Links are not opened from here. The link points to: {url}",
    },
    "tui.no_screenshots": {
        "da": "Skærmbilleder kan ikke gemmes herfra.",
        "en": "Screenshots cannot be saved from here.",
    },
    "tui.error.database": {
        "da": "Databasen svarer ikke som ventet: {reason}. Prøv igen om lidt.",
        "en": "The database is not responding as expected: {reason}. Try again in a moment.",
    },
    "tui.error.unexpected": {
        "da": "Der skete en uventet fejl; intet er gået tabt. Detaljer er skrevet i {log}.",
        "en": "An unexpected error happened; nothing was lost. Details were written to {log}.",
    },
    "tui.error.crash": {
        "da": "deliberate stoppede på grund af en uventet fejl. Detaljer er skrevet i {log}.",
        "en": "deliberate stopped because of an unexpected error. Details were written to {log}.",
    },
    "tui.error.no_live": {
        "da": "Automatisk opdatering virker ikke lige nu; skærmen opdateres, når du går tilbage og frem.",
        "en": "Automatic updates are not working right now; the screen updates when you go back and forth.",
    },
    # Statuses
    "tui.status.draft": {"da": "kladde", "en": "draft"},
    "tui.status.voting": {"da": "åben", "en": "open"},
    "tui.status.debate": {"da": "debat", "en": "debate"},
    "tui.status.withdrawn": {"da": "trukket tilbage", "en": "withdrawn"},
    "tui.status.open_left": {"da": "åben · {left}", "en": "open · {left}"},
    "tui.status.closed": {"da": "lukket", "en": "closed"},
    "tui.status.closed_short": {"da": "lukket", "en": "closed"},
    # Forum overview
    "tui.overview.title": {"da": "Forum", "en": "Forum"},
    "tui.filter.all": {"da": "Alle", "en": "All"},
    "tui.filter.needs_vote": {"da": "Mangler min stemme", "en": "Needs my vote"},
    "tui.filter.open": {"da": "Åbne", "en": "Open"},
    "tui.filter.closed": {"da": "Lukkede", "en": "Closed"},
    "tui.filter.draft": {"da": "Kladder", "en": "Drafts"},
    "tui.overview.search": {
        "da": "Søg i titler … (tryk / for at søge, Esc for listen)",
        "en": "Search titles … (press / to search, Esc for the list)",
    },
    "tui.overview.col.title": {"da": "Forslag", "en": "Proposal"},
    "tui.overview.col.status": {"da": "Status", "en": "Status"},
    "tui.overview.col.amendments": {"da": "Æ", "en": "A"},
    "tui.overview.col.comments": {"da": "K", "en": "C"},
    "tui.overview.col.my_vote": {"da": "Min stemme", "en": "My vote"},
    "tui.overview.needs_vote": {"da": "mangler", "en": "not yet"},
    "tui.overview.standalone": {"da": "Selvstændige forslag", "en": "Stand-alone proposals"},
    "tui.overview.none_match": {
        "da": "Ingen forslag passer til filteret og søgningen.",
        "en": "No proposals match the filter and search.",
    },
    "tui.overview.no_proposals": {
        "da": "Der er ingen forslag endnu.",
        "en": "There are no proposals yet.",
    },
    "tui.overview.needs_vote_count": {
        "da": "{n} åbne forslag mangler din stemme (tryk n)",
        "en": "{n} open proposals need your vote (press n)",
    },
    "tui.overview.needs_vote_one": {
        "da": "1 åbent forslag mangler din stemme (tryk n)",
        "en": "1 open proposal needs your vote (press n)",
    },
    "tui.overview.all_voted": {
        "da": "Du har stemt på alle åbne forslag",
        "en": "You have voted on every open proposal",
    },
    "tui.overview.no_right_to_vote": {
        "da": "Du kan læse og kommentere, men har ikke stemmeret",
        "en": "You can read and comment but have no right to vote",
    },
    "tui.overview.nothing_needs_vote": {
        "da": "Ingen åbne forslag mangler din stemme.",
        "en": "No open proposal needs your vote.",
    },
    # Proposal screen
    "tui.proposal.title": {"da": "Forslag", "en": "Proposal"},
    "tui.proposal.tab.text": {"da": "Tekst", "en": "Text"},
    "tui.proposal.tab.amendments": {"da": "Ændringsforslag", "en": "Amendments"},
    "tui.proposal.tab.amendments_n": {"da": "Ændringsforslag ({n})", "en": "Amendments ({n})"},
    "tui.proposal.tab.comments": {"da": "Kommentarer", "en": "Comments"},
    "tui.proposal.tab.comments_n": {"da": "Kommentarer ({n})", "en": "Comments ({n})"},
    "tui.proposal.tab.vote": {"da": "Afstemning", "en": "Voting"},
    "tui.proposal.tab.result": {"da": "Resultat", "en": "Result"},
    "tui.proposal.amendment_comments.none": {
        "da": "ingen kommentarer · Enter læser det hele",
        "en": "no comments · Enter reads it in full",
    },
    "tui.proposal.amendment_comments.one": {
        "da": "1 kommentar · Enter læser det hele",
        "en": "1 comment · Enter reads it in full",
    },
    "tui.proposal.amendment_comments.many": {
        "da": "{n} kommentarer · Enter læser det hele",
        "en": "{n} comments · Enter reads it in full",
    },
    "tui.proposal.no_amendments": {
        "da": "Forslaget har ingen ændringsforslag.",
        "en": "The proposal has no amendments.",
    },
    # Amendment screen
    "tui.amendment.title": {"da": "Ændringsforslag", "en": "Amendment"},
    "tui.amendment.of": {
        "da": "Ændringsforslag {n} af {total}:",
        "en": "Amendment {n} of {total}:",
    },
    "tui.amendment.to": {"da": "til forslaget", "en": "to the proposal"},
    "tui.amendment.no_text": {"da": "*(ingen yderligere tekst)*", "en": "*(no further text)*"},
    "tui.amendment.gone": {
        "da": "Ændringsforslaget findes ikke længere (forslaget er blevet opdateret).",
        "en": "The amendment no longer exists (the proposal was updated).",
    },
    # Voting
    "tui.vote.draft": {
        "da": "Afstemningen er ikke åbnet endnu. Du kan læse og kommentere forslaget.",
        "en": "Voting has not opened yet. You can read and comment on the proposal.",
    },
    "tui.vote.open": {"da": "Afstemningen er åben.", "en": "Voting is open."},
    "tui.vote.open_no_deadline": {
        "da": "Ordstyreren lukker den.",
        "en": "The facilitator closes it.",
    },
    "tui.vote.open_until": {"da": "Lukker {when} (om {left}).", "en": "Closes {when} (in {left})."},
    "tui.vote.participation": {
        "da": "{cast} af {eligible} stemmeberettigede har stemt.",
        "en": "{cast} of {eligible} eligible members have voted.",
    },
    "tui.vote.closed": {
        "da": "Afstemningen er lukket ({when}).",
        "en": "Voting is closed ({when}).",
    },
    "tui.vote.outcome": {"da": "Resultat:", "en": "Outcome:"},
    "tui.vote.carried": {
        "da": "Vedtagne ændringsforslag: {amendments}",
        "en": "Amendments carried: {amendments}",
    },
    "tui.vote.turnout": {
        "da": "Afgivne stemmer: {cast} af {eligible} stemmeberettigede.",
        "en": "Votes cast: {cast} of {eligible} eligible members.",
    },
    "tui.vote.rules": {"da": "Regelsæt: {name}", "en": "Rule set: {name}"},
    "tui.vote.mine": {"da": "Din stemme:", "en": "Your vote:"},
    "tui.vote.not_voted": {"da": "Du har ikke stemt endnu", "en": "You have not voted yet"},
    "tui.vote.no_right": {"da": "Du har ikke stemmeret", "en": "You have no right to vote"},
    "tui.vote.changed": {"da": "ændret", "en": "changed"},
    "tui.vote.receipt": {"da": "kvittering {receipt}", "en": "receipt {receipt}"},
    "tui.vote.cast_hint": {
        "da": "Tryk 1–5 eller v for at stemme:",
        "en": "Press 1–5 or v to vote:",
    },
    "tui.vote.change_hint": {
        "da": "Du kan ændre din stemme, indtil afstemningen lukker. Tryk 1–5 eller v:",
        "en": "You can change your vote until voting closes. Press 1–5 or v:",
    },
    "tui.vote.not_open_yet": {
        "da": "Afstemningen er ikke åbnet endnu.",
        "en": "Voting has not opened yet.",
    },
    "tui.vote.already_closed": {
        "da": "Afstemningen er lukket; der kan ikke stemmes mere.",
        "en": "Voting is closed; no more votes can be cast.",
    },
    "tui.vote.dialog_title": {"da": "Stem om", "en": "Vote on"},
    "tui.vote.current": {"da": "din stemme nu", "en": "your vote now"},
    "tui.vote.choose_hint": {
        "da": "Tryk 1–5, eller vælg med ↑/↓ og Enter. Esc fortryder.",
        "en": "Press 1–5, or choose with ↑/↓ and Enter. Esc cancels.",
    },
    "tui.vote.no_amendments": {
        "da": "Forslaget har ingen ændringsforslag, så Betinget ja kan ikke vælges.",
        "en": "The proposal has no amendments, so Conditional yes cannot be chosen.",
    },
    "tui.vote.amendments_question": {
        "da": "Betinget ja: hvilke ændringsforslag er din betingelse? Vælg mindst ét.",
        "en": "Conditional yes: which amendments are your condition? Choose at least one.",
    },
    "tui.vote.amendments_hint": {
        "da": "Mellemrum vælger/fravælger · Enter går videre · Esc tilbage",
        "en": "Space selects/deselects · Enter continues · Esc goes back",
    },
    "tui.vote.pick_an_amendment": {
        "da": "Vælg mindst ét ændringsforslag (med mellemrum).",
        "en": "Choose at least one amendment (with space).",
    },
    "tui.vote.reason_question": {
        "da": "Bloker: skriv kort, hvorfor du ikke kan acceptere forslaget som vores politik.",
        "en": "Block: write briefly why you could not accept this becoming our policy.",
    },
    "tui.vote.reason_placeholder": {"da": "Din begrundelse …", "en": "Your reason …"},
    "tui.vote.reason_hint": {
        "da": "Enter går videre · Esc tilbage",
        "en": "Enter continues · Esc goes back",
    },
    "tui.vote.reason_needed": {
        "da": "Bloker kræver en begrundelse.",
        "en": "Block needs a reason.",
    },
    "tui.vote.you_vote": {"da": "Du stemmer:", "en": "You vote:"},
    "tui.vote.with_amendments": {
        "da": "med ændringsforslag {numbers}",
        "en": "with amendments {numbers}",
    },
    "tui.vote.reason_label": {"da": "Begrundelse:", "en": "Reason:"},
    "tui.vote.replaces": {
        "da": "Det erstatter din tidligere stemme.",
        "en": "This replaces your earlier vote.",
    },
    "tui.vote.cast_button": {"da": "Afgiv stemme", "en": "Cast vote"},
    "tui.vote.confirm_hint": {
        "da": "Enter afgiver stemmen · Esc går tilbage",
        "en": "Enter casts the vote · Esc goes back",
    },
    "tui.vote.cast_notice": {
        "da": "Din stemme er modtaget: {choice}. Kvittering: {receipt}",
        "en": "Your vote was recorded: {choice}. Receipt: {receipt}",
    },
    "tui.vote.changed_notice": {
        "da": "Din stemme er ændret: {choice}. Kvittering: {receipt}",
        "en": "Your vote was changed: {choice}. Receipt: {receipt}",
    },
    # Comments
    "tui.comments.none": {
        "da": "Ingen kommentarer endnu. Tryk c for at skrive den første.",
        "en": "No comments yet. Press c to write the first.",
    },
    "tui.comments.you": {"da": "(dig)", "en": "(you)"},
    "tui.comments.edited": {"da": "redigeret", "en": "edited"},
    "tui.comments.deleted": {"da": "[kommentaren er slettet]", "en": "[the comment was deleted]"},
    "tui.comments.on_proposal": {"da": "Kommentar til", "en": "Comment on"},
    "tui.comments.on_amendment": {
        "da": "Kommentar til ændringsforslag {n} i",
        "en": "Comment on amendment {n} of",
    },
    "tui.comments.reply_to": {"da": "Svar til", "en": "Reply to"},
    "tui.comments.edit_title": {"da": "Redigér din kommentar", "en": "Edit your comment"},
    "tui.comments.saved": {"da": "Kommentaren er gemt.", "en": "The comment was saved."},
    "tui.comments.deleted_notice": {
        "da": "Kommentaren er slettet.",
        "en": "The comment was deleted.",
    },
    "tui.comments.delete_question": {
        "da": "Slet din kommentar? Den vises som slettet; svar på den bliver stående.",
        "en": "Delete your comment? It will show as deleted; replies to it remain.",
    },
    "tui.comments.not_yours": {
        "da": "Du kan kun redigere og slette dine egne kommentarer.",
        "en": "You can only edit and delete your own comments.",
    },
    "tui.comments.already_deleted": {
        "da": "Kommentaren er allerede slettet.",
        "en": "The comment is already deleted.",
    },
    "tui.comments.cannot_reply_deleted": {
        "da": "Man kan ikke svare på en slettet kommentar.",
        "en": "You cannot reply to a deleted comment.",
    },
    # Comment editor and confirmation
    "tui.editor.hint": {
        "da": "Ctrl+S gemmer · Esc fortryder · Tab skifter felt",
        "en": "Ctrl+S saves · Esc cancels · Tab moves between fields",
    },
    "tui.editor.empty": {
        "da": "Skriv noget, før du gemmer.",
        "en": "Write something before saving.",
    },
    "tui.editor.discard": {
        "da": "Kassér teksten, du har skrevet?",
        "en": "Discard the text you wrote?",
    },
    "tui.editor.discard_yes": {"da": "Kassér", "en": "Discard"},
    "tui.editor.keep": {"da": "Skriv videre", "en": "Keep writing"},
    "tui.confirm.hint": {
        "da": "Enter eller j bekræfter · Esc eller n fortryder",
        "en": "Enter or y confirms · Esc or n cancels",
    },
    # Help
    "tui.help.title": {"da": "Hjælp: taster", "en": "Help: keys"},
    "tui.help.this_screen": {"da": "På denne skærm", "en": "On this screen"},
    "tui.help.everywhere": {"da": "Overalt", "en": "Everywhere"},
    "tui.help.moving": {"da": "Flyt rundt", "en": "Moving around"},
    "tui.help.moving_text": {
        "da": "  ↑ ↓ PgUp PgDn Home End flytter og ruller · Tab skifter felt · Enter vælger\n  Ctrl+P åbner kommandolisten",
        "en": "  ↑ ↓ PgUp PgDn Home End move and scroll · Tab moves between fields · Enter selects\n  Ctrl+P opens the command list",
    },
    "tui.help.choices": {"da": "De fem stemmer", "en": "The five votes"},
    "tui.help.hint": {"da": "Esc lukker hjælpen", "en": "Esc closes the help"},
}
