"""Messages of the annual meeting: check-in, proxies (fuldmagt), secret ballots, hand counts,
the facilitator's non-voters list and turnout (DESIGN §5, §10)."""

MESSAGES: dict[str, dict[str, str]] = {
    # Errors
    "not_permitted": {
        "da": "'{handle}' har ikke den rolle, der skal til.",
        "en": "'{handle}' does not have the role this needs.",
    },
    "meeting.not_organizer": {
        "da": "'{handle}' er ikke arrangør; kun en arrangør kan registrere fuldmagter og "
        "ændre foreningens indstillinger.",
        "en": "'{handle}' is not an organizer; only an organizer can record proxies and "
        "change the forum's settings.",
    },
    "meeting.checkin_already_open": {
        "da": "Indtjekningen er allerede åben.",
        "en": "Check-in is already open.",
    },
    "meeting.checkin_not_open": {
        "da": "Indtjekningen er ikke åben.",
        "en": "Check-in is not open.",
    },
    "meeting.checkin_closed": {
        "da": "Indtjekningen til møde {meeting} er lukket; spørg ordstyreren ved døren.",
        "en": "Check-in to meeting {meeting} is closed; ask the facilitator at the door.",
    },
    "meeting.already_checked_in": {
        "da": "'{handle}' er allerede tjekket ind.",
        "en": "'{handle}' is already checked in.",
    },
    "meeting.not_checked_in": {
        "da": "'{handle}' er ikke tjekket ind.",
        "en": "'{handle}' is not checked in.",
    },
    "meeting.no_speaker_limit": {
        "da": "Taleren har ingen taletid at forlænge (mødet har ingen taletidsgrænse).",
        "en": "The speaker has no time limit to extend (the meeting has no speaking limit).",
    },
    "meeting.hand_count_closed": {
        "da": "Afstemningen om '{proposal}' er allerede lukket; en håndoptælling kan ikke "
        "registreres.",
        "en": "Voting on '{proposal}' is already closed; a hand count cannot be recorded.",
    },
    "meeting.hand_count_has_ballots": {
        "da": "Der er allerede afgivet {n} stemmer elektronisk om '{proposal}'; luk "
        "afstemningen i stedet for at optælle i salen.",
        "en": "{n} ballots were already cast electronically on '{proposal}'; close the vote "
        "instead of counting in the room.",
    },
    "meeting.bad_hand_count": {
        "da": "Ugyldigt antal for {choice}: {value} (et helt tal fra 0 til {max}).",
        "en": "Invalid count for {choice}: {value} (a whole number from 0 to {max}).",
    },
    "proxy.to_oneself": {
        "da": "'{handle}' kan ikke give fuldmagt til sig selv.",
        "en": "'{handle}' cannot give a proxy to themselves.",
    },
    "proxy.already_given": {
        "da": "'{handle}' har allerede givet fuldmagt til møde {meeting}; fjern den først.",
        "en": "'{handle}' has already given a proxy for meeting {meeting}; remove it first.",
    },
    "proxy.holder_gave_proxy": {
        "da": "'{handle}' har selv givet fuldmagt væk og kan ikke holde en.",
        "en": "'{handle}' has given their own proxy away and cannot hold one.",
    },
    "proxy.principal_holds_proxy": {
        "da": "'{handle}' holder selv en fuldmagt og kan ikke give sin egen videre.",
        "en": "'{handle}' holds a proxy and cannot pass their own on.",
    },
    "proxy.over_limit": {
        "da": "'{handle}' holder allerede {limit} fuldmagt(er), det højeste foreningen tillader.",
        "en": "'{handle}' already holds {limit} proxy/proxies, the most the forum allows.",
    },
    "proxy.unknown": {
        "da": "'{holder}' holder ingen fuldmagt fra '{principal}' til dette møde.",
        "en": "'{holder}' holds no proxy from '{principal}' for this meeting.",
    },
    "proxy.not_held": {
        "da": "'{holder}' holder ingen fuldmagt fra '{principal}' til et møde med dette forslag.",
        "en": "'{holder}' holds no proxy from '{principal}' for a meeting with this proposal.",
    },
    "proxy.principal_voted": {
        "da": "'{principal}' har selv stemt; den stemme gælder, og der kan ikke stemmes for "
        "'{principal}' med fuldmagt.",
        "en": "'{principal}' has voted themselves; that vote stands and no proxy vote can be "
        "cast for '{principal}'.",
    },
    "proxy.bad_limit": {
        "da": "Ugyldig grænse for fuldmagter: {limit} (0 til {max}).",
        "en": "Invalid proxy limit: {limit} (0 to {max}).",
    },
    "voting.error.secret_already_voted": {
        "da": "Der er allerede afgivet en hemmelig stemme for '{handle}'; en hemmelig stemme "
        "er endelig.",
        "en": "A secret ballot has already been cast for '{handle}'; a secret ballot is final.",
    },
    # verify
    "audit.problem.secret_twice": {
        "da": "Post {seq} ({proposal}): '{member}' deltager to gange i en hemmelig afstemning.",
        "en": "Entry {seq} ({proposal}): '{member}' takes part twice in a secret ballot.",
    },
    "audit.problem.secret_count": {
        "da": "Post {seq} ({proposal}): {ballots} hemmelige stemmesedler, men {participations} "
        "deltagelser.",
        "en": "Entry {seq} ({proposal}): {ballots} secret ballots but {participations} "
        "participations.",
    },
    "audit.problem.secret_hash": {
        "da": "Post {seq} ({proposal}): de gemte hemmelige stemmesedler passer ikke med "
        "hashværdien fra lukningen.",
        "en": "Entry {seq} ({proposal}): the stored secret ballots do not match the hash "
        "recorded at close.",
    },
    "audit.problem.secret_ballot_counts": {
        "da": "Post {seq} ({proposal}): optællingen ved lukningen passer ikke med de gemte "
        "hemmelige stemmesedler ({what}).",
        "en": "Entry {seq} ({proposal}): the counts at close do not match the stored secret "
        "ballots ({what}).",
    },
    "audit.problem.secret_participants": {
        "da": "{proposal}: deltagerne i den hemmelige afstemning passer ikke med loggen ({what}).",
        "en": "{proposal}: the secret ballot's participants differ from the log ({what}).",
    },
    # Words shown everywhere
    "assembly.hand_count": {"da": "optalt i salen", "en": "counted in the room"},
    "assembly.secret": {"da": "hemmelig afstemning", "en": "secret ballot"},
    "assembly.present": {"da": "{n} til stede", "en": "{n} present"},
    "assembly.by_proxy": {
        "da": "afgivet med fuldmagt af {holder}",
        "en": "cast by proxy by {holder}",
    },
    "assembly.secret_final": {
        "da": "Hemmelig afstemning: din stemme er endelig og kan ikke ændres, når den er afgivet.",
        "en": "Secret ballot: your vote is final and cannot be changed once cast.",
    },
    "assembly.tracker": {
        "da": "Din kontrolkode: {tracker} — find den i den offentliggjorte stemmeliste efter "
        "afstemningen. Den er ikke gemt med dit navn nogen steder.",
        "en": "Your tracker code: {tracker} — find it in the published ballot list after the "
        "vote. It is not stored with your name anywhere.",
    },
    "assembly.proxy_vote_for": {
        "da": "Stem også for {name} (fuldmagt)",
        "en": "Also vote for {name} (proxy)",
    },
    "assembly.turnout_confirm": {
        "da": "{voted} af {present} til stede har stemt — luk alligevel?",
        "en": "{voted} of {present} present have voted — close anyway?",
    },
    "assembly.turnout_confirm_eligible": {
        "da": "{voted} af {eligible} stemmeberettigede har stemt — luk alligevel?",
        "en": "{voted} of {eligible} eligible members have voted — close anyway?",
    },
    "assembly.quorum_base.eligible": {
        "da": "af de stemmeberettigede",
        "en": "of eligible members",
    },
    "assembly.quorum_base.present": {
        "da": "af de fremmødte",
        "en": "of those present",
    },
    # CLI
    "assembly.cli.cast_for": {
        "da": "Afgivet med fuldmagt for {principal}.",
        "en": "Cast by proxy for {principal}.",
    },
    "assembly.cli.secret_cast": {
        "da": "Hemmelig stemme afgivet om {proposal} (endelig).",
        "en": "Secret ballot cast on {proposal} (final).",
    },
    "assembly.cli.checkin_one_thing": {
        "da": "Brug enten --open, --close eller en indtjekning (med eller uden --member).",
        "en": "Use either --open, --close or a check-in (with or without --member).",
    },
    "assembly.cli.checkin_opened": {"da": "Indtjekningen er åben.", "en": "Check-in is open."},
    "assembly.cli.checkin_closed": {"da": "Indtjekningen er lukket.", "en": "Check-in is closed."},
    "assembly.cli.checked_in": {
        "da": "{name} er tjekket ind ({n} til stede).",
        "en": "{name} is checked in ({n} present).",
    },
    "assembly.cli.checked_out": {
        "da": "{name} er tjekket ud ({n} til stede).",
        "en": "{name} is checked out ({n} present).",
    },
    "assembly.cli.recorded": {
        "da": "Håndoptælling registreret for {proposal} (optalt i salen).",
        "en": "Hand count recorded for {proposal} (counted in the room).",
    },
    "assembly.cli.floor_extended": {
        "da": "{name} har nu {seconds} sekunders taletid i alt.",
        "en": "{name} now has {seconds} seconds of speaking time in all.",
    },
    "assembly.cli.proxy_added": {
        "da": "{holder} stemmer for {principal} (fuldmagt).",
        "en": "{holder} votes for {principal} (proxy).",
    },
    "assembly.cli.proxy_removed": {
        "da": "Fuldmagten fra {principal} til {holder} er fjernet.",
        "en": "The proxy from {principal} to {holder} is removed.",
    },
    "assembly.cli.no_proxies": {"da": "Ingen fuldmagter.", "en": "No proxies."},
    "assembly.cli.proxy_line": {
        "da": "{principal} → {holder}",
        "en": "{principal} → {holder}",
    },
    "assembly.cli.proxy_limit": {
        "da": "Et medlem må holde {n} fuldmagt(er) pr. møde.",
        "en": "A member may hold {n} proxy/proxies per meeting.",
    },
    "assembly.non_voters": {
        "da": "Har ikke stemt ({n})",
        "en": "Not voted yet ({n})",
    },
    # Minutes
    "export.assembly.attendance": {
        "da": "Fremmøde ({n} medlemmer)",
        "en": "Attendance ({n} members)",
    },
    "export.assembly.checked_in_by": {
        "da": "tjekket ind af {handle}",
        "en": "checked in by {handle}",
    },
    "export.assembly.nobody": {"da": "Ingen tjekkede ind.", "en": "Nobody checked in."},
    "export.assembly.proxies": {"da": "Fuldmagter", "en": "Proxies"},
    "export.assembly.no_proxies": {"da": "Ingen fuldmagter.", "en": "No proxies."},
    "export.assembly.ballot": {"da": "Afstemningsform", "en": "Ballot"},
    "export.assembly.method": {"da": "Optælling", "en": "Count"},
    "export.assembly.present_label": {
        "da": "Til stede ved afstemningens lukning",
        "en": "Present when voting closed",
    },
    "export.assembly.speakers": {"da": "Talere", "en": "Speakers"},
    "export.assembly.speaker_line": {
        "da": "{name} ({handle}): {time} ({turns} indlæg)",
        "en": "{name} ({handle}): {time} ({turns} turns)",
    },
    "export.assembly.trackers": {
        "da": "Hemmelige stemmesedler ({n}) — find din kontrolkode",
        "en": "Secret ballots ({n}) — find your tracker code",
    },
    # TUI
    "assembly.tui.checkin_open": {"da": "indtjekning åben", "en": "check-in open"},
    "assembly.tui.checkin_closed": {"da": "indtjekning lukket", "en": "check-in closed"},
    "assembly.tui.proxies": {"da": "{n} fuldmagt(er)", "en": "{n} proxy/proxies"},
    "assembly.tui.you_are_in": {
        "da": "Du er tjekket ind (k: tjek ud).",
        "en": "You are checked in (k: check out).",
    },
    "assembly.tui.represented": {
        "da": "Du er repræsenteret ved fuldmagt af {holder}.",
        "en": "You are represented by proxy by {holder}.",
    },
    "assembly.tui.check_in_hint": {
        "da": "Du er ikke tjekket ind (k: tjek ind).",
        "en": "You are not checked in (k: check in).",
    },
    "assembly.tui.checked_in_self": {"da": "Du er tjekket ind.", "en": "You are checked in."},
    "assembly.tui.checked_out_self": {"da": "Du er tjekket ud.", "en": "You are checked out."},
    "assembly.tui.checked_in_member": {
        "da": "{handle} er tjekket ind.",
        "en": "{handle} is checked in.",
    },
    "assembly.tui.secret_no_list": {
        "da": "Hemmelig afstemning: hvem der mangler at stemme, vises ikke.",
        "en": "Secret ballot: who has not voted yet is not shown.",
    },
    "assembly.tui.all_present_voted": {
        "da": "Alle fremmødte har stemt.",
        "en": "Everyone present has voted.",
    },
    "assembly.tui.and_more": {"da": " og {n} flere", "en": " and {n} more"},
    "assembly.tui.hand_count_title": {
        "da": "Håndoptælling (optalt i salen):",
        "en": "Hand count (counted in the room):",
    },
    "assembly.tui.hand_count_hint": {
        "da": "Tab: næste felt · Enter: registrer · Esc: fortryd",
        "en": "Tab: next field · Enter: record · Esc: cancel",
    },
    "assembly.tui.record": {"da": "Registrer", "en": "Record"},
    "assembly.tui.bad_count": {
        "da": "Skriv et helt tal (0 eller mere) i hvert felt.",
        "en": "Enter a whole number (0 or more) in each field.",
    },
    "assembly.tui.open_title": {"da": "Åbn afstemning om", "en": "Open voting on"},
    "assembly.tui.secret_box": {
        "da": "Hemmelig afstemning (s)",
        "en": "Secret ballot (s)",
    },
    "assembly.tui.open_hint": {
        "da": "Vælg beslutningsregler og tryk Enter · s: hemmelig/åben · Esc: fortryd",
        "en": "Choose the decision rules and press Enter · s: secret/open · Esc: cancel",
    },
    "assembly.tui.check_in_member_title": {
        "da": "Tjek et medlem ind (ved døren)",
        "en": "Check a member in (at the door)",
    },
    "assembly.tui.handle_placeholder": {"da": "brugernavn", "en": "handle"},
    "assembly.tui.check_in_member_hint": {
        "da": "Enter: tjek ind · Esc: fortryd",
        "en": "Enter: check in · Esc: cancel",
    },
    "assembly.tui.floor_warning": {
        "da": "⚠ {seconds} sekunders taletid tilbage",
        "en": "⚠ {seconds} seconds of speaking time left",
    },
    "assembly.tui.floor_ended": {
        "da": "Taletiden for {name} er slut (t: forlæng).",
        "en": "{name}'s speaking time is up (t: extend).",
    },
    "assembly.tui.voted_secretly": {
        "da": "Du har afgivet din hemmelige stemme (endelig).",
        "en": "You have cast your secret ballot (final).",
    },
    "assembly.tui.proxy_cast": {
        "da": "Stemme afgivet med fuldmagt for {principal} (kvittering {receipt}).",
        "en": "Vote cast by proxy for {principal} (receipt {receipt}).",
    },
    "assembly.tui.meeting_started": {
        "da": "Mødet er startet: {title}",
        "en": "The meeting has started: {title}",
    },
    "tui.key.meeting.extend_floor": {"da": "+30 s taletid", "en": "+30 s floor"},
    "tui.key.meeting.checkin": {"da": "Indtjekning åben/luk", "en": "Check-in open/close"},
    "tui.key.meeting.checkin_member": {"da": "Tjek medlem ind", "en": "Check member in"},
    "tui.key.meeting.hand_count": {"da": "Håndoptælling", "en": "Hand count"},
    "tui.key.meeting.check_in_self": {"da": "Tjek ind/ud", "en": "Check in/out"},
    "tui.key.assembly.secret": {"da": "Hemmelig/åben", "en": "Secret/open"},
    "assembly.secret_counts_hidden": {
        "da": "Hemmelig afstemning: optællingen vises, når afstemningen er lukket.",
        "en": "Secret ballot: the counts are shown when voting has closed.",
    },
}
