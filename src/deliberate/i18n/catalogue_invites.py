"""Messages of invite codes: creating them, the CSV member import, and the code screen."""

MESSAGES: dict[str, dict[str, str]] = {
    "invite.bad_validity": {
        "da": "Ugyldig gyldighed '{value}': skriv fx 7d (dage), 36h (timer) eller 90m (minutter), højst et år.",
        "en": "Invalid validity '{value}': write e.g. 7d (days), 36h (hours) or 90m (minutes), at most a year.",
    },
    "invite.created": {
        "da": "Invitationskode til {handle} ({name}): {code}  (gyldig til {expires})",
        "en": "Invite code for {handle} ({name}): {code}  (valid until {expires})",
    },
    "invite.replaced": {
        "da": "Den tidligere kode til {handle} virker ikke længere.",
        "en": "The earlier code for {handle} no longer works.",
    },
    "invite.how_to_join": {
        "da": "Medlemmet forbinder med: ssh -p {port} {host}  og skriver koden.",
        "en": "The member connects with: ssh -p {port} {host}  and types the code.",
    },
    "invite.refused.wrong": {
        "da": "Koden er forkert. Tjek den og prøv igen ({left} forsøg tilbage i dette minut).",
        "en": "That code is wrong. Check it and try again ({left} tries left this minute).",
    },
    "invite.refused.expired": {
        "da": "Koden er udløbet. Bed arrangøren om en ny.",
        "en": "That code has expired. Ask the organizer for a new one.",
    },
    "invite.refused.used": {
        "da": "Koden er allerede brugt. Bed arrangøren om en ny, hvis det ikke var dig.",
        "en": "That code has already been used. Ask the organizer for a new one if it was not you.",
    },
    "invite.refused.wrong_locked": {
        "da": "Koden er forkert, og det var for mange forkerte koder fra din adresse. Prøv igen om {minutes} minutter.",
        "en": "That code is wrong, and that was too many wrong codes from your address. Try again in {minutes} minutes.",
    },
    "invite.refused.expired_locked": {
        "da": "Koden er udløbet, og det var for mange afviste koder fra din adresse. Bed arrangøren om en ny, og prøv igen om {minutes} minutter.",
        "en": "That code has expired, and that was too many refused codes from your address. Ask the organizer for a new one and try again in {minutes} minutes.",
    },
    "invite.refused.used_locked": {
        "da": "Koden er allerede brugt, og det var for mange afviste koder fra din adresse. Prøv igen om {minutes} minutter.",
        "en": "That code has already been used, and that was too many refused codes from your address. Try again in {minutes} minutes.",
    },
    "invite.refused.locked": {
        "da": "For mange forkerte koder fra din adresse. Prøv igen om {minutes} minutter.",
        "en": "Too many wrong codes from your address. Try again in {minutes} minutes.",
    },
    # Member import (CSV)
    "import_csv.unreadable": {
        "da": "Kan ikke læse {path}: {reason}",
        "en": "Cannot read {path}: {reason}",
    },
    "import_csv.bad_columns": {
        "da": "{path}, linje {line}: forventede handle,navn eller handle,navn,rolle.",
        "en": "{path}, line {line}: expected handle,name or handle,name,role.",
    },
    "import_csv.bad_handle": {
        "da": "{path}, linje {line}: '{value}' er ikke et brugernavn (a-z, 0-9, . _ -).",
        "en": "{path}, line {line}: '{value}' is not a handle (a-z, 0-9, . _ -).",
    },
    "import_csv.empty_name": {
        "da": "{path}, linje {line}: navnet er tomt.",
        "en": "{path}, line {line}: the name is empty.",
    },
    "import_csv.bad_role": {
        "da": "{path}, linje {line}: ukendt rolle '{value}' (member, facilitator eller organizer).",
        "en": "{path}, line {line}: unknown role '{value}' (member, facilitator or organizer).",
    },
    "import_csv.duplicate": {
        "da": "{path}, linje {line}: '{value}' står også på linje {other}.",
        "en": "{path}, line {line}: '{value}' is also on line {other}.",
    },
    "import_csv.too_many": {
        "da": "{path}, linje {line}: for mange linjer (højst {most}).",
        "en": "{path}, line {line}: too many lines (at most {most}).",
    },
    "import_csv.bad_csv": {
        "da": "{path}, linje {line}: ikke gyldig CSV ({reason}).",
        "en": "{path}, line {line}: not valid CSV ({reason}).",
    },
    "import_csv.empty": {
        "da": "{path} indeholder ingen medlemmer.",
        "en": "{path} contains no members.",
    },
    "import_csv.imported": {
        "da": "{added} medlemmer tilføjet, {kept} fandtes allerede.",
        "en": "{added} members added, {kept} already existed.",
    },
    "import_csv.codes_written": {
        "da": "Koderne er skrevet til {path} (kun læsbar for dig; slet den, når de er sendt).",
        "en": "The codes are written to {path} (readable only by you; delete it once they are sent).",
    },
    "import_csv.out_unwritable": {
        "da": "Kan ikke skrive koderne til {path}: {reason}",
        "en": "Cannot write the codes to {path}: {reason}",
    },
    "import_csv.out_exists": {
        "da": "{path} findes allerede; vælg et andet navn (koder overskrives aldrig).",
        "en": "{path} already exists; choose another name (codes are never overwritten).",
    },
    # The code screen (over SSH, for a key that is not registered yet)
    "invite.screen.title": {"da": "Velkommen", "en": "Welcome"},
    "invite.screen.intro": {
        "da": "Din SSH-nøgle er ikke registreret i forummet endnu. Skriv den invitationskode, du har fået af arrangøren (fx K7PX-3MRT-9QHW), og tryk Enter. Koden kobler nøglen til dig, så du næste gang kommer direkte ind.",
        "en": "Your SSH key is not registered in the forum yet. Type the invite code the organizer gave you (e.g. K7PX-3MRT-9QHW) and press Enter. The code links this key to you, so next time you come straight in.",
    },
    "invite.screen.placeholder": {"da": "invitationskode", "en": "invite code"},
    "invite.screen.checking": {"da": "Tjekker koden …", "en": "Checking the code …"},
    "invite.screen.welcome": {
        "da": "Velkommen, {name}! Din nøgle er registreret. Forummet åbner …",
        "en": "Welcome, {name}! Your key is registered. The forum is opening …",
    },
    "invite.screen.other_key": {
        "da": "Har du allerede adgang? Så tilbød din SSH-klient en anden nøgle først: forbind med ssh -i STI-TIL-NØGLEN -o IdentitiesOnly=yes.",
        "en": "Already have access? Then your SSH client offered another key first: connect with ssh -i PATH-TO-YOUR-KEY -o IdentitiesOnly=yes.",
    },
    "invite.screen.failed": {
        "da": "Koden kunne ikke tjekkes lige nu; prøv igen om lidt.",
        "en": "The code could not be checked just now; try again in a moment.",
    },
    "tui.key.invite_submit": {"da": "Indsend", "en": "Submit"},
    "tui.key.invite_quit": {"da": "Afslut", "en": "Quit"},
    "tui.key.invite_language": {"da": "Sprog", "en": "Language"},
    "audit.problem.invite_twice": {
        "da": "Logpost {seq} ({action} {subject}): invitation {invite} er oprettet to gange.",
        "en": "Log entry {seq} ({action} {subject}): invite {invite} was created twice.",
    },
    "audit.problem.invite_use_invalid": {
        "da": "Logpost {seq} ({action} {subject}): invitation {invite} blev brugt uden at være gyldig (ukendt, en andens, brugt, tilbagekaldt eller udløbet).",
        "en": "Log entry {seq} ({action} {subject}): invite {invite} was used while not valid (unknown, someone else's, used, revoked or expired).",
    },
}
