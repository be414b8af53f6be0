"""Messages of phases: member proposals, support, amendments, adoption, the schedule."""

MESSAGES: dict[str, dict[str, str]] = {
    # Refusals
    "phases.error.empty_title": {
        "da": "Titlen må ikke være tom.",
        "en": "The title must not be empty.",
    },
    "phases.error.title_too_long": {
        "da": "Titlen er for lang ({length} tegn; højst {limit}).",
        "en": "The title is too long ({length} characters; at most {limit}).",
    },
    "phases.error.empty_body": {
        "da": "Forslagets tekst må ikke være tom.",
        "en": "The proposal's text must not be empty.",
    },
    "phases.error.body_too_long": {
        "da": "Teksten er for lang ({length} tegn; højst {limit}).",
        "en": "The text is too long ({length} characters; at most {limit}).",
    },
    "phases.error.justification_too_long": {
        "da": "Begrundelsen er for lang ({length} tegn; højst {limit}).",
        "en": "The justification is too long ({length} characters; at most {limit}).",
    },
    "phases.error.withdrawn": {
        "da": "Forslaget '{proposal}' er trukket tilbage.",
        "en": "The proposal '{proposal}' has been withdrawn.",
    },
    "phases.error.not_submitted": {
        "da": "Forslaget '{proposal}' er ikke indsendt af et medlem og samler ikke medstillere.",
        "en": "The proposal '{proposal}' was not submitted by a member and takes no supporters.",
    },
    "phases.error.already_submitted": {
        "da": "Forslaget '{proposal}' er allerede indsendt.",
        "en": "The proposal '{proposal}' has already been submitted.",
    },
    "phases.error.edit_phase": {
        "da": "Forslaget '{proposal}' er ikke længere en kladde og kan ikke redigeres.",
        "en": "The proposal '{proposal}' is no longer a draft and cannot be edited.",
    },
    "phases.error.edit_submitted": {
        "da": "Forslaget '{proposal}' er indsendt og kan ikke længere redigeres "
        "(træk det tilbage og skriv et nyt).",
        "en": "The proposal '{proposal}' has been submitted and can no longer be edited "
        "(withdraw it and write a new one).",
    },
    "phases.error.not_author": {
        "da": "Kun forslagets forfatter kan gøre det ('{handle}' er ikke forfatter til '{proposal}').",
        "en": "Only the proposal's author can do that ('{handle}' is not the author of '{proposal}').",
    },
    "phases.error.support_twice": {
        "da": "Du støtter allerede forslaget '{proposal}'.",
        "en": "You already support the proposal '{proposal}'.",
    },
    "phases.error.support_own": {
        "da": "Du kan ikke være medstiller på dit eget forslag.",
        "en": "You cannot support your own proposal.",
    },
    "phases.error.support_phase": {
        "da": "Forslaget '{proposal}' kan ikke støttes nu (det er {status}).",
        "en": "The proposal '{proposal}' cannot be supported now (it is {status}).",
    },
    "phases.error.withdraw_phase": {
        "da": "Forslaget '{proposal}' kan kun trækkes tilbage som kladde eller under debat.",
        "en": "The proposal '{proposal}' can only be withdrawn in draft or debate.",
    },
    "phases.error.not_organizer": {
        "da": "Kun en arrangør kan optage et forslag til debat ('{handle}' er ikke arrangør).",
        "en": "Only an organizer can admit a proposal to debate ('{handle}' is not an organizer).",
    },
    "phases.error.not_manager": {
        "da": "Kun en ordstyrer eller arrangør kan planlægge faser ('{handle}' er medlem).",
        "en": "Only a facilitator or organizer can schedule phases ('{handle}' is a member).",
    },
    "phases.error.admit_phase": {
        "da": "Kun en indsendt kladde kan optages til debat ('{proposal}' er {status}).",
        "en": "Only a submitted draft can be admitted to debate ('{proposal}' is {status}).",
    },
    "phases.error.schedule_phase": {
        "da": "Forslaget '{proposal}' er {status}; kun kladder og forslag i debat kan planlægges.",
        "en": "The proposal '{proposal}' is {status}; only drafts and debates can be scheduled.",
    },
    "phases.error.time_in_past": {
        "da": "{field} ({when}) ligger i fortiden.",
        "en": "{field} ({when}) is in the past.",
    },
    "phases.error.time_order": {
        "da": "{first} skal ligge før {second}.",
        "en": "{first} must come before {second}.",
    },
    "phases.error.amend_phase": {
        "da": "Der kan ikke stilles ændringsforslag til '{proposal}' nu (det er {status}).",
        "en": "Amendments to '{proposal}' cannot be filed now (it is {status}).",
    },
    "phases.error.filing_closed": {
        "da": "Fristen for ændringsforslag til '{proposal}' udløb {when}.",
        "en": "The deadline for amendments to '{proposal}' passed at {when}.",
    },
    "phases.error.no_paragraph": {
        "da": "Forslaget '{proposal}' har intet afsnit {paragraph} (afsnit 1–{count}; se "
        "'deliberate show {proposal} --paragraphs').",
        "en": "The proposal '{proposal}' has no paragraph {paragraph} (paragraphs 1–{count}; "
        "see 'deliberate show {proposal} --paragraphs').",
    },
    "phases.error.needs_text": {
        "da": "Giv den nye tekst til afsnittet (--file eller --text).",
        "en": "Give the paragraph's new text (--file or --text).",
    },
    "phases.error.delete_takes_no_text": {
        "da": "En sletning tager ingen ny tekst.",
        "en": "A deletion takes no new text.",
    },
    "phases.error.unchanged": {
        "da": "Den nye tekst er den samme som afsnittets.",
        "en": "The new text is the same as the paragraph's.",
    },
    "phases.error.amend_kind": {
        "da": "Angiv enten et afsnit (--paragraph N med --replace, --insert-after eller "
        "--delete) eller en fri tekst (--text).",
        "en": "Give either a paragraph (--paragraph N with --replace, --insert-after or "
        "--delete) or free text (--text).",
    },
    "phases.error.unknown_amendment": {
        "da": "Forslaget '{proposal}' har intet ændringsforslag {number}.",
        "en": "The proposal '{proposal}' has no amendment {number}.",
    },
    "phases.error.not_proposer": {
        "da": "Kun forslagets forfatter eller en arrangør kan overtage eller gruppere "
        "ændringsforslag ('{handle}' kan ikke).",
        "en": "Only the proposal's author or an organizer can adopt or group amendments "
        "('{handle}' cannot).",
    },
    "phases.error.before_vote_only": {
        "da": "Ændringsforslag til '{proposal}' kan kun overtages eller grupperes før "
        "afstemningen (det er {status}).",
        "en": "Amendments to '{proposal}' can only be adopted or grouped before the vote "
        "(it is {status}).",
    },
    "phases.error.amendment_state": {
        "da": "Ændringsforslag {number} er {state}.",
        "en": "Amendment {number} is {state}.",
    },
    "phases.error.conflict": {
        "da": "Ændringsforslag {other} ændrer også afsnit {paragraph}; grupper dem som "
        "alternativer eller træk det tilbage først.",
        "en": "Amendment {other} also changes paragraph {paragraph}; group them as "
        "alternatives or withdraw it first.",
    },
    "phases.error.group_size": {
        "da": "Angiv mindst to ændringsforslag som alternativer.",
        "en": "Name at least two amendments as alternatives.",
    },
    "phases.error.group_paragraphs": {
        "da": "Alternativer skal ændre samme afsnit (ændringsforslag {number} ændrer afsnit "
        "{paragraph}, ikke {expected}).",
        "en": "Alternatives must change the same paragraph (amendment {number} changes "
        "paragraph {paragraph}, not {expected}).",
    },
    "phases.error.not_amendment_author": {
        "da": "Kun forfatteren kan trække ændringsforslag {number} tilbage.",
        "en": "Only its author can withdraw amendment {number}.",
    },
    "phases.error.bad_setting": {
        "da": "Ukendt indstilling '{key}' (kendte: {known}).",
        "en": "Unknown setting '{key}' (known: {known}).",
    },
    "phases.error.bad_setting_value": {
        "da": "'{value}' er ikke et gyldigt tal for {key}.",
        "en": "'{value}' is not a valid number for {key}.",
    },
    "cli.bad_status": {
        "da": "Ukendt status '{status}' (draft, debate, voting/open, closed, withdrawn).",
        "en": "Unknown status '{status}' (draft, debate, voting/open, closed, withdrawn).",
    },
    "phases.error.read_file": {
        "da": "Kan ikke læse '{file}': {reason}.",
        "en": "Cannot read '{file}': {reason}.",
    },
    # States
    "phases.state.proposed": {"da": "stillet", "en": "proposed"},
    "phases.state.adopted": {"da": "overtaget", "en": "adopted into the text"},
    "phases.state.withdrawn": {"da": "trukket tilbage", "en": "withdrawn"},
    "phases.op.replace": {"da": "erstatter", "en": "replaces"},
    "phases.op.insert_after": {"da": "indsætter efter", "en": "inserts after"},
    "phases.op.delete": {"da": "sletter", "en": "deletes"},
    # CLI output
    "phases.cli.proposed": {
        "da": "Forslag '{proposal}' oprettet ({status}).",
        "en": "Proposal '{proposal}' created ({status}).",
    },
    "phases.cli.submitted": {
        "da": "Forslaget '{proposal}' er indsendt ({status}).",
        "en": "The proposal '{proposal}' has been submitted ({status}).",
    },
    "phases.cli.edited": {
        "da": "Kladden '{proposal}' er gemt ({status}).",
        "en": "The draft '{proposal}' has been saved ({status}).",
    },
    "phases.cli.supported": {
        "da": "Du støtter '{proposal}' ({count} af {required} medstillere; {status}).",
        "en": "You support '{proposal}' ({count} of {required} supporters; {status}).",
    },
    "phases.cli.withdrawn": {
        "da": "Forslaget '{proposal}' er trukket tilbage.",
        "en": "The proposal '{proposal}' has been withdrawn.",
    },
    "phases.cli.admitted": {
        "da": "Forslaget '{proposal}' er optaget til debat.",
        "en": "The proposal '{proposal}' has been admitted to debate.",
    },
    "phases.cli.amended": {
        "da": "Ændringsforslag {number} til '{proposal}' er stillet.",
        "en": "Amendment {number} to '{proposal}' has been filed.",
    },
    "phases.cli.adopted": {
        "da": "Ændringsforslag {number} er overtaget i teksten til '{proposal}'.",
        "en": "Amendment {number} has been adopted into the text of '{proposal}'.",
    },
    "phases.cli.grouped": {
        "da": "Ændringsforslag {numbers} er nu alternativer (gruppe {group}).",
        "en": "Amendments {numbers} are now alternatives (group {group}).",
    },
    "phases.cli.ungrouped": {
        "da": "Ændringsforslag {number} er ikke længere et alternativ.",
        "en": "Amendment {number} is no longer an alternative.",
    },
    "phases.cli.amendment_withdrawn": {
        "da": "Ændringsforslag {number} er trukket tilbage.",
        "en": "Amendment {number} has been withdrawn.",
    },
    "phases.cli.scheduled": {
        "da": "Planlagt: {proposal} ({status}).",
        "en": "Scheduled: {proposal} ({status}).",
    },
    "phases.cli.setting": {"da": "{key} = {value}", "en": "{key} = {value}"},
    "phases.cli.debate_from": {"da": "Debat fra", "en": "Debate from"},
    "phases.cli.debate_until": {"da": "Ændringsforslag til", "en": "Amendments until"},
    "phases.cli.opens_at": {"da": "Afstemning åbner", "en": "Voting opens"},
    "phases.cli.closes_at": {"da": "Afstemning lukker", "en": "Voting closes"},
    "phases.cli.supporters": {"da": "Medstillere", "en": "Supporters"},
    "phases.cli.submitted_by": {"da": "Indsendt af", "en": "Submitted by"},
    "phases.cli.paragraph": {"da": "Afsnit {n}", "en": "Paragraph {n}"},
    "phases.cli.alternatives": {
        "da": "alternativ gruppe {group}",
        "en": "alternative group {group}",
    },
    # Boundaries, for "debat til fre. 14.00"
    "phases.next.debate": {"da": "debat fra {when}", "en": "debate from {when}"},
    "phases.next.filing_closed": {"da": "debat til {when}", "en": "debate until {when}"},
    "phases.next.open": {"da": "afstemning {when}", "en": "vote opens {when}"},
    "phases.next.close": {"da": "åben til {when}", "en": "open until {when}"},
    # verify
    "audit.problem.phase_support_twice": {
        "da": "Post {seq}: '{member}' støtter '{proposal}' to gange.",
        "en": "Entry {seq}: '{member}' supports '{proposal}' twice.",
    },
    "audit.problem.phase_order": {
        "da": "Post {seq}: '{proposal}' kan ikke gå til {phase} herfra.",
        "en": "Entry {seq}: '{proposal}' cannot move to {phase} from where it was.",
    },
    "audit.problem.phase_edit": {
        "da": "Post {seq}: '{proposal}' er redigeret af '{member}', men kun forfatteren må "
        "redigere, og kun en kladde der ikke er indsendt.",
        "en": "Entry {seq}: '{proposal}' was edited by '{member}', but only its author may "
        "edit it, and only as a draft not yet submitted.",
    },
    "audit.problem.phase_author": {
        "da": "Forfatteren af '{proposal}' passer ikke med loggen.",
        "en": "The author of '{proposal}' does not match the log.",
    },
    "audit.problem.phase_text": {
        "da": "Teksten til '{proposal}' passer ikke med loggen.",
        "en": "The text of '{proposal}' does not match the log.",
    },
    "audit.problem.phase_supporters": {
        "da": "Medstillerne til '{proposal}' passer ikke med loggen.",
        "en": "The supporters of '{proposal}' do not match the log.",
    },
    "audit.problem.amendment_reused": {
        "da": "Post {seq}: ændringsforslag {number} til '{proposal}' er stillet to gange.",
        "en": "Entry {seq}: amendment {number} to '{proposal}' was filed twice.",
    },
    "audit.problem.amendment_unlogged": {
        "da": "Ændringsforslag {number} til '{proposal}' står ikke i loggen.",
        "en": "Amendment {number} to '{proposal}' is not in the log.",
    },
    "audit.problem.amendment_differs": {
        "da": "Ændringsforslag {number} til '{proposal}' afviger fra post {seq}: {what}.",
        "en": "Amendment {number} to '{proposal}' differs from entry {seq}: {what}.",
    },
    "audit.problem.setting_differs": {
        "da": "Indstillingen '{setting}' passer ikke med loggen.",
        "en": "The setting '{setting}' does not match the log.",
    },
    # TUI
    "tui.overview.waiting": {
        "da": "{n} venter på din støtte (+)",
        "en": "{n} wait for your support (+)",
    },
    "tui.overview.support_me": {"da": "støt?", "en": "support?"},
    "tui.overview.submit_me": {"da": "indsend?", "en": "submit?"},
    "tui.overview.my_drafts": {
        "da": "Dine kladder (Enter åbner: E redigér · ^t indsend)",
        "en": "Your drafts (Enter opens: E edit · ^t submit)",
    },
    "tui.overview.supported": {
        "da": "Du støtter '{proposal}' ({count} af {required} medstillere).",
        "en": "You support '{proposal}' ({count} of {required} supporters).",
    },
    "tui.new.title": {"da": "Nyt forslag", "en": "New proposal"},
    "tui.new.title_placeholder": {"da": "Titel", "en": "Title"},
    "tui.new.help": {
        "da": "Skriv forslaget i Markdown. F2 forhåndsvisning · ^s gem som kladde · ^t indsend · Esc tilbage",
        "en": "Write the proposal in Markdown. F2 preview · ^s save as draft · ^t submit · Esc back",
    },
    "tui.new.saved": {
        "da": "Forslaget '{proposal}' er gemt ({status}).",
        "en": "The proposal '{proposal}' has been saved ({status}).",
    },
    "tui.edit.title": {"da": "Redigér kladde", "en": "Edit draft"},
    "tui.draft.not_submitted": {
        "da": "din kladde, ikke indsendt: E redigér · ^t indsend · W træk tilbage",
        "en": "your draft, not submitted: E edit · ^t submit · W withdraw",
    },
    "tui.draft.submit_question": {
        "da": "Indsend '{title}'? Derefter kan teksten ikke længere redigeres.",
        "en": "Submit '{title}'? Its text can then no longer be edited.",
    },
    "tui.draft.withdraw_question": {
        "da": "Træk '{title}' tilbage? Det kan ikke fortrydes.",
        "en": "Withdraw '{title}'? This cannot be undone.",
    },
    "tui.key.edit_draft": {"da": "Redigér", "en": "Edit"},
    "tui.key.submit_draft": {"da": "Indsend", "en": "Submit"},
    "tui.key.withdraw": {"da": "Træk tilbage", "en": "Withdraw"},
    "tui.key.preview": {"da": "Vis", "en": "Preview"},
    "tui.key.save_draft": {"da": "Gem kladde", "en": "Save draft"},
    "tui.key.submit": {"da": "Indsend", "en": "Submit"},
    "tui.amend.title": {"da": "Ændringsforslag", "en": "Amendment"},
    "tui.amend.pick": {
        "da": "Vælg et afsnit med ↑/↓: r erstat · i indsæt efter · d slet · f fri tekst · Esc tilbage",
        "en": "Pick a paragraph with ↑/↓: r replace · i insert after · d delete · f free text · Esc back",
    },
    "tui.amend.editing": {
        "da": "{op} afsnit {n}. ^t indsend · Esc tilbage",
        "en": "{op} paragraph {n}. ^t submit · Esc back",
    },
    "tui.amend.free": {
        "da": "Fri tekst: en instruks til redaktionen. ^t indsend · Esc tilbage",
        "en": "Free text: an instruction to the editors. ^t submit · Esc back",
    },
    "tui.amend.justification": {"da": "Begrundelse (valgfri)", "en": "Justification (optional)"},
    "tui.amend.diff": {"da": "Ændring:", "en": "Change:"},
    "tui.amend.filed": {
        "da": "Ændringsforslag {number} er stillet.",
        "en": "Amendment {number} has been filed.",
    },
    "tui.amend.closed": {
        "da": "Der kan ikke stilles ændringsforslag nu.",
        "en": "Amendments cannot be filed now.",
    },
    "tui.key.amend": {"da": "Ændringsforslag", "en": "Amend"},
    "tui.key.amend_replace": {"da": "Erstat", "en": "Replace"},
    "tui.key.amend_insert": {"da": "Indsæt efter", "en": "Insert after"},
    "tui.key.amend_delete": {"da": "Slet", "en": "Delete"},
    "tui.key.amend_free": {"da": "Fri tekst", "en": "Free text"},
    "tui.key.adopt": {"da": "Overtag", "en": "Adopt"},
    "tui.key.group": {"da": "Alternativ", "en": "Alternative"},
    "tui.amendment.adopted": {
        "da": "Ændringsforslag {number} er overtaget i teksten.",
        "en": "Amendment {number} has been adopted into the text.",
    },
    "tui.amendment.group_prompt": {
        "da": "Alternativ til ændringsforslag nr. (Enter):",
        "en": "Alternative to amendment number (Enter):",
    },
    "tui.amendment.grouped": {
        "da": "Ændringsforslag {numbers} er alternativer.",
        "en": "Amendments {numbers} are alternatives.",
    },
    "tui.schedule.title": {"da": "Planlæg", "en": "Schedule"},
    "tui.schedule.hint": {
        "da": "Tider som 2026-11-27T14:00 (lokal tid); tomt felt: uændret, debat fra: nu. "
        "^s gem · Esc annullér",
        "en": "Times like 2026-11-27T14:00 (local time); empty: unchanged, debate from: now. "
        "^s save · Esc cancel",
    },
    "tui.key.meeting.schedule": {"da": "Planlæg", "en": "Schedule"},
}
