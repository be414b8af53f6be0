"""Messages of facilitated sessions (møder): errors, CLI output, the facilitator console,
the speakers' list and the projector view."""

MESSAGES: dict[str, dict[str, str]] = {
    # Errors
    "meeting.not_facilitator": {
        "da": "'{handle}' er hverken ordstyrer eller arrangør og kan ikke styre møder.",
        "en": "'{handle}' is neither a facilitator nor an organizer and cannot run meetings.",
    },
    "meeting.unknown": {"da": "Ukendt møde '{meeting}'.", "en": "Unknown meeting '{meeting}'."},
    "meeting.bad_id": {
        "da": "Ugyldigt mødenummer '{meeting}' (se 'deliberate meeting list').",
        "en": "Invalid meeting number '{meeting}' (see 'deliberate meeting list').",
    },
    "meeting.is_planned": {
        "da": "Mødet {meeting} er ikke startet endnu (start det med 'deliberate meeting start {meeting}').",
        "en": "Meeting {meeting} has not started yet (start it with 'deliberate meeting start {meeting}').",
    },
    "meeting.is_running": {
        "da": "Mødet {meeting} er allerede i gang.",
        "en": "Meeting {meeting} is already running.",
    },
    "meeting.is_ended": {
        "da": "Mødet {meeting} er afsluttet.",
        "en": "Meeting {meeting} has ended.",
    },
    "meeting.another_running": {
        "da": "Mødet {meeting} er stadig i gang; afslut det først (kun ét møde ad gangen).",
        "en": "Meeting {meeting} is still running; end it first (one meeting at a time).",
    },
    "meeting.empty_title": {"da": "Mødet skal have en titel.", "en": "The meeting needs a title."},
    "meeting.no_agenda": {
        "da": "Mødet {meeting} har ingen dagsorden; tilføj forslag før det startes.",
        "en": "Meeting {meeting} has no agenda; add proposals before starting it.",
    },
    "meeting.proposal_twice": {
        "da": "Forslaget '{proposal}' står allerede på dagsordenen.",
        "en": "The proposal '{proposal}' is already on the agenda.",
    },
    "meeting.bad_seconds": {
        "da": "Ugyldigt antal sekunder '{seconds}' (1-{max}).",
        "en": "Invalid number of seconds '{seconds}' (1-{max}).",
    },
    "meeting.reorder_mismatch": {
        "da": "Den nye rækkefølge skal nævne netop forslagene på dagsordenen: {agenda}.",
        "en": "The new order must name exactly the proposals on the agenda: {agenda}.",
    },
    "meeting.no_such_item": {
        "da": "Mødet {meeting} har intet dagsordenspunkt {position}.",
        "en": "Meeting {meeting} has no agenda item {position}.",
    },
    "meeting.at_last_item": {
        "da": "Det er allerede sidste dagsordenspunkt.",
        "en": "This is already the last agenda item.",
    },
    "meeting.at_first_item": {
        "da": "Det er allerede første dagsordenspunkt.",
        "en": "This is already the first agenda item.",
    },
    "meeting.no_current_item": {
        "da": "Mødet {meeting} har intet aktuelt dagsordenspunkt.",
        "en": "Meeting {meeting} has no current agenda item.",
    },
    "meeting.no_running": {
        "da": "Intet møde er i gang lige nu.",
        "en": "No meeting is running right now.",
    },
    "meeting.already_speak": {
        "da": "Du står allerede på talelisten.",
        "en": "You are already on the speakers' list.",
    },
    "meeting.already_point_of_order": {
        "da": "Du har allerede bedt om ordet til forretningsordenen.",
        "en": "You have already asked for a point of order.",
    },
    "meeting.nothing_to_withdraw": {
        "da": "Du står ikke på talelisten.",
        "en": "You are not on the speakers' list.",
    },
    "meeting.no_such_request": {
        "da": "Anmodning {request} venter ikke på talelisten.",
        "en": "Request {request} is not waiting on the speakers' list.",
    },
    "meeting.queue_empty": {"da": "Talelisten er tom.", "en": "The speakers' list is empty."},
    "meeting.no_speaker": {
        "da": "Ingen har ordet lige nu.",
        "en": "Nobody has the floor right now.",
    },
    # Statuses
    "meeting.status.planned": {"da": "planlagt", "en": "planned"},
    "meeting.status.running": {"da": "i gang", "en": "running"},
    "meeting.status.ended": {"da": "afsluttet", "en": "ended"},
    "meeting.kind.speak": {"da": "taler", "en": "speaker"},
    "meeting.kind.point_of_order": {"da": "til forretningsordenen", "en": "point of order"},
    # CLI output
    "meeting.cli.created": {
        "da": "Møde {id} oprettet: {title} ({items} dagsordenspunkter).",
        "en": "Meeting {id} created: {title} ({items} agenda items).",
    },
    "meeting.cli.none": {
        "da": "Ingen møder endnu. Opret et med 'deliberate meeting create'.",
        "en": "No meetings yet. Create one with 'deliberate meeting create'.",
    },
    "meeting.cli.started": {
        "da": "Møde {id} er startet; punkt {position}: {title}",
        "en": "Meeting {id} has started; item {position}: {title}",
    },
    "meeting.cli.item": {
        "da": "Punkt {position}: {title}",
        "en": "Item {position}: {title}",
    },
    "meeting.cli.ended": {"da": "Møde {id} er afsluttet.", "en": "Meeting {id} has ended."},
    "meeting.cli.item_added": {
        "da": "'{proposal}' er sat på dagsordenen for møde {id}.",
        "en": "'{proposal}' added to the agenda of meeting {id}.",
    },
    "meeting.cli.reordered": {
        "da": "Dagsordenen for møde {id} er ændret.",
        "en": "The agenda of meeting {id} was reordered.",
    },
    "meeting.cli.opened": {
        "da": "Afstemningen om '{proposal}' er åben.",
        "en": "Voting on '{proposal}' is open.",
    },
    "meeting.cli.opened_until": {
        "da": "Afstemningen om '{proposal}' er åben til {until}.",
        "en": "Voting on '{proposal}' is open until {until}.",
    },
    "meeting.cli.closed": {
        "da": "Afstemningen om '{proposal}' er lukket. {explanation}",
        "en": "Voting on '{proposal}' is closed. {explanation}",
    },
    "meeting.cli.extended": {
        "da": "Afstemningen er forlænget til {until}.",
        "en": "Voting was extended until {until}.",
    },
    "meeting.cli.requested": {
        "da": "Du står på talelisten som nr. {position}.",
        "en": "You are number {position} on the speakers' list.",
    },
    "meeting.cli.withdrawn": {
        "da": "Du er taget af talelisten.",
        "en": "You were taken off the speakers' list.",
    },
    "meeting.cli.granted": {
        "da": "{name} ({handle}) har ordet.",
        "en": "{name} ({handle}) has the floor.",
    },
    "meeting.cli.finished": {
        "da": "{name} ({handle}) har talt færdig ({time}).",
        "en": "{name} ({handle}) has finished ({time}).",
    },
    "meeting.cli.audit_head": {
        "da": "Revisionslog: #{seq} {hash}",
        "en": "Audit log: #{seq} {hash}",
    },
    # Shared by the console, the member panel and the projector
    "meeting.participation": {
        "da": "{voted} af {eligible} har stemt",
        "en": "{voted} of {eligible} have voted",
    },
    "meeting.counts_hidden": {
        "da": "Stemmetallene vises, når afstemningen lukkes.",
        "en": "The counts are shown when voting closes.",
    },
    "meeting.countdown": {"da": "Tid tilbage: {time}", "en": "Time left: {time}"},
    "meeting.voting_open": {"da": "Afstemning åben", "en": "Voting open"},
    "meeting.voting_closed": {"da": "Afstemning lukket", "en": "Voting closed"},
    "meeting.voting_not_open": {"da": "Afstemningen er ikke åbnet", "en": "Voting not opened yet"},
    "meeting.has_floor": {"da": "Ordet har: {name}", "en": "Speaking: {name}"},
    "meeting.timer_limit": {"da": "{time} af {limit}", "en": "{time} of {limit}"},
    "meeting.nobody_has_floor": {"da": "Ingen har ordet", "en": "Nobody has the floor"},
    "meeting.queue_heading": {"da": "Taleliste", "en": "Speakers' list"},
    "meeting.queue_empty_line": {"da": "Ingen på talelisten", "en": "Nobody on the list"},
    "meeting.totals_heading": {"da": "Taletid i alt", "en": "Total speaking time"},
    "meeting.connected_heading": {"da": "Forbundet nu ({n})", "en": "Connected now ({n})"},
    "meeting.agenda_heading": {"da": "Dagsorden", "en": "Agenda"},
    "meeting.item_of": {"da": "Punkt {position} af {count}", "en": "Item {position} of {count}"},
    "meeting.no_meeting_title": {"da": "Intet møde i gang", "en": "No meeting running"},
    "meeting.no_meeting_body": {
        "da": "Skærmen opdateres af sig selv, når ordstyreren starter mødet.",
        "en": "This screen updates by itself when the facilitator starts the meeting.",
    },
    "meeting.you_in_queue": {
        "da": "Du står som nr. {position} på talelisten.",
        "en": "You are number {position} on the speakers' list.",
    },
    "meeting.you_have_floor": {"da": "Du har ordet.", "en": "You have the floor."},
    "meeting.audit_head": {"da": "Revisionslog #{seq}: {hash}", "en": "Audit log #{seq}: {hash}"},
    "meeting.screen_title": {"da": "Møde", "en": "Meeting"},
    "meeting.console_title": {"da": "Ordstyrer", "en": "Facilitator"},
    "meeting.projector_title": {"da": "Projektor", "en": "Projector"},
    "meeting.moved_to": {
        "da": "Ordstyreren er gået videre: punkt {position}: {title}",
        "en": "The facilitator moved on: item {position}: {title}",
    },
    "meeting.vote_hint": {"da": "(tast 1-5 for at stemme)", "en": "(press 1-5 to vote)"},
    "meeting.planned_heading": {"da": "Planlagte møder", "en": "Planned meetings"},
    "meeting.none_planned": {
        "da": "Ingen planlagte møder. Opret et med 'deliberate meeting create'.",
        "en": "No planned meetings. Create one with 'deliberate meeting create'.",
    },
    "meeting.none_short": {"da": "Ingen planlagte møder", "en": "No planned meetings"},
    "meeting.start_hint": {
        "da": "Vælg et møde til venstre og tryk s (eller Enter) for at starte det.",
        "en": "Pick a meeting on the left and press s (or Enter) to start it.",
    },
    "meeting.closed_notice": {
        "da": "Afstemningen er lukket: {outcome}. Revisionslog #{seq}: {hash}…",
        "en": "Voting closed: {outcome}. Audit log #{seq}: {hash}…",
    },
    "meeting.end_question": {"da": "Afslut mødet", "en": "End the meeting"},
    "meeting.end_yes": {"da": "Afslut mødet", "en": "End the meeting"},
    "meeting.time_left_label": {"da": "Tid tilbage", "en": "Time left"},
    "meeting.voted_of_label": {
        "da": "Har stemt (af {eligible})",
        "en": "Have voted (of {eligible})",
    },
    "meeting.close_question": {"da": "Luk afstemningen om", "en": "Close voting on"},
    # Keys (footer and help screen): the TUI looks up tui.key.<binding id>
    "tui.key.mode.meeting": {"da": "Møde", "en": "Meeting"},
    "tui.key.mode.console": {"da": "Ordstyrer", "en": "Facilitator"},
    "tui.key.mode.projector": {"da": "Projektor", "en": "Projector"},
    "tui.key.meeting.request": {"da": "Bed om ordet", "en": "Request to speak"},
    "tui.key.meeting.point_of_order": {"da": "Forretningsorden", "en": "Point of order"},
    "tui.key.meeting.withdraw": {"da": "Træk tilbage", "en": "Withdraw"},
    "tui.key.meeting.read": {"da": "Læs forslaget", "en": "Read proposal"},
    "tui.key.meeting.start": {"da": "Start møde", "en": "Start meeting"},
    "tui.key.meeting.open": {"da": "Åbn afstemning", "en": "Open voting"},
    "tui.key.meeting.close": {"da": "Luk afstemning", "en": "Close voting"},
    "tui.key.meeting.extend": {"da": "+1 minut", "en": "+1 minute"},
    "tui.key.meeting.next": {"da": "Næste punkt", "en": "Next item"},
    "tui.key.meeting.previous": {"da": "Forrige punkt", "en": "Previous item"},
    "tui.key.meeting.grant": {"da": "Giv ordet", "en": "Give the floor"},
    "tui.key.meeting.finish": {"da": "Taler færdig", "en": "Speaker done"},
    "tui.key.meeting.end": {"da": "Afslut møde", "en": "End meeting"},
}
