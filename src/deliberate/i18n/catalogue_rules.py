"""Messages of the decision rules: outcome labels, explanations, descriptions, rule-file errors."""

MESSAGES: dict[str, dict[str, str]] = {
    # Outcome labels (DESIGN §1 vocabulary)
    "rules.outcome.open": {"da": "afstemning åben", "en": "voting open"},
    "rules.outcome.adopted": {"da": "vedtaget", "en": "adopted"},
    "rules.outcome.adopted_with_amendments": {
        "da": "vedtaget med ændringer",
        "en": "adopted with amendments",
    },
    "rules.outcome.postponed": {"da": "udskudt", "en": "postponed"},
    "rules.outcome.rejected": {"da": "forkastet", "en": "rejected"},
    "rules.outcome.blocked": {"da": "blokeret", "en": "blocked"},
    "rules.outcome.no_quorum": {"da": "ikke beslutningsdygtig", "en": "no quorum"},
    # Explanations: one sentence each; {head} is the capitalised outcome
    "rules.head.adopted_with_amendments.one": {
        "da": "Vedtaget med ændringsforslag {amendments}",
        "en": "Adopted with amendment {amendments}",
    },
    "rules.head.adopted_with_amendments.many": {
        "da": "Vedtaget med ændringsforslag {amendments}",
        "en": "Adopted with amendments {amendments}",
    },
    "rules.reason.open": {
        "da": "{head}: {cast} af {eligible} stemmeberettigede har stemt indtil videre.",
        "en": "{head}: {cast} of {eligible} eligible members have voted so far.",
    },
    "rules.reason.no_votes": {
        "da": "{head}: der er ikke afgivet nogen stemmer.",
        "en": "{head}: no votes were cast.",
    },
    "rules.reason.below_quorum_present": {
        "da": "{head}: {cast} af {present} fremmødte stemmeberettigede har stemt ({share}); "
        "der kræves mindst {required} afgivne stemmer (beslutningsdygtighed regnet af de "
        "fremmødte, fuldmagter medregnet).",
        "en": "{head}: {cast} of {present} eligible members present voted ({share}); "
        "at least {required} votes are required (quorum counted of those present, proxies "
        "included).",
    },
    "rules.reason.below_quorum": {
        "da": "{head}: {cast} af {eligible} stemmeberettigede har stemt ({share}); "
        "der kræves mindst {required} afgivne stemmer.",
        "en": "{head}: {cast} of {eligible} eligible members voted ({share}); "
        "at least {required} votes cast are required.",
    },
    "rules.reason.blocked": {
        "da": "{head}: {bloker} af {cast} afgivne stemmer ({share}) er Bloker; "
        "grænsen er {threshold}{override}.",
        "en": "{head}: {bloker} of {cast} votes cast ({share}) are Block; "
        "the threshold is {threshold}{override}.",
    },
    "rules.reason.blocked_any": {
        "da": "{head}: {bloker} af {cast} afgivne stemmer er Bloker, "
        "og én Bloker er nok til at blokere{override}.",
        "en": "{head}: {bloker} of {cast} votes cast are Block, "
        "and a single Block vote is enough to block{override}.",
    },
    "rules.reason.blocked_any_override": {
        "da": "{head}: {bloker} af {cast} afgivne stemmer er Bloker, og Ja og Betinget ja har "
        "kun {yes} ({yes_share}), under de {override_share}, der kan tilsidesætte en blokering.",
        "en": "{head}: {bloker} of {cast} votes cast are Block, and Yes and Conditional yes "
        "have only {yes} ({yes_share}), below the {override_share} that can override a block.",
    },
    "rules.clause.not_overridden": {
        "da": ", og Ja og Betinget ja har kun {yes} ({yes_share}), "
        "under de {override_share}, der kan tilsidesætte en blokering",
        "en": ", and Yes and Conditional yes have only {yes} ({yes_share}), "
        "below the {override_share} that can override a block",
    },
    "rules.reason.block_overridden": {
        "da": "{head}: trods Bloker ({bloker}) har Ja og Betinget ja {yes} af {cast} afgivne "
        "stemmer ({share}), mindst de {override_share}, der tilsidesætter en blokering"
        "{amendments}.",
        "en": "{head}: despite Block ({bloker}), Yes and Conditional yes have {yes} of {cast} "
        "votes cast ({share}), at least the {override_share} that overrides a block"
        "{amendments}.",
    },
    "rules.reason.postponed": {
        "da": "{head}: {udskyd} af {cast} afgivne stemmer er Udskyd, flere end Ja og "
        "Betinget ja ({yes}) og flere end Nej og Bloker ({against}).",
        "en": "{head}: {udskyd} of {cast} votes cast are Postpone, more than Yes and "
        "Conditional yes ({yes}) and more than No and Block ({against}).",
    },
    "rules.reason.majority_yes": {
        "da": "{head}: Ja og Betinget ja har {yes} af {base} {base_label} ({share}); "
        "der kræves {comparison} {threshold}{amendments}.",
        "en": "{head}: Yes and Conditional yes have {yes} of {base} {base_label} ({share}); "
        "{comparison} {threshold} is required{amendments}.",
    },
    "rules.reason.no_majority": {
        "da": "{head}: Ja og Betinget ja har kun {yes} af {base} {base_label} ({share}); "
        "der kræves {comparison} {threshold}.",
        "en": "{head}: Yes and Conditional yes have only {yes} of {base} {base_label} "
        "({share}); {comparison} {threshold} is required.",
    },
    "rules.reason.no_decisive_votes": {
        "da": "{head}: ingen af de {cast} afgivne stemmer tæller med i flertallet ({base_label}).",
        "en": "{head}: none of the {cast} votes cast count towards a majority ({base_label}).",
    },
    "rules.clause.amendment_item": {
        "da": "{number} ({support} stemmer)",
        "en": "{number} ({support} votes)",
    },
    "rules.clause.amendments.one": {
        "da": "; ændringsforslag {items} nævnes af flere Betinget ja-stemmer, end der er "
        "Ja-stemmer ({ja})",
        "en": "; amendment {items} is named by more Conditional yes votes than there are "
        "Yes votes ({ja})",
    },
    "rules.clause.amendments.many": {
        "da": "; ændringsforslag {items} nævnes hver af flere Betinget ja-stemmer, end der er "
        "Ja-stemmer ({ja})",
        "en": "; amendments {items} are each named by more Conditional yes votes than there "
        "are Yes votes ({ja})",
    },
    "rules.clause.amendments_yes_side_majority.one": {
        "da": "; ændringsforslag {items} nævnes af mere end halvdelen af ja-siden ({yes})",
        "en": "; amendment {items} is named by more than half of the yes-side ({yes})",
    },
    "rules.clause.amendments_yes_side_majority.many": {
        "da": "; ændringsforslag {items} nævnes hver af mere end halvdelen af ja-siden ({yes})",
        "en": "; amendments {items} are each named by more than half of the yes-side ({yes})",
    },
    "rules.clause.amendments_separate.one": {
        "da": "; ændringsforslag {items} fik mere end {threshold} ja ved sin egen afstemning",
        "en": "; amendment {items} won more than {threshold} yes in its own vote",
    },
    "rules.clause.amendments_separate.many": {
        "da": "; ændringsforslag {items} fik hver mere end {threshold} ja ved deres egen "
        "afstemning",
        "en": "; amendments {items} each won more than {threshold} yes in their own vote",
    },
    "rules.clause.amendments_tied": {
        "da": "; alternativerne {numbers} står lige ({support} stemmer hver), så ingen af dem "
        "er vedtaget",
        "en": "; the alternatives {numbers} are tied ({support} votes each), so none of them "
        "is carried",
    },
    # One sentence per amendment on the ballot (i18n.explain.explain_amendments)
    "rules.amendment.yes_side_majority.carried": {
        "da": "Ændringsforslag {number} vedtaget: {support} af {base} stemmer på ja-siden er "
        "Betinget ja med det ({share}); der kræves mere end 50 %.",
        "en": "Amendment {number} carried: {support} of {base} votes on the yes-side are "
        "Conditional yes naming it ({share}); more than 50% is required.",
    },
    "rules.amendment.yes_side_majority.not_carried": {
        "da": "Ændringsforslag {number} ikke vedtaget: kun {support} af {base} stemmer på "
        "ja-siden er Betinget ja med det ({share}); der kræves mere end 50 %.",
        "en": "Amendment {number} not carried: only {support} of {base} votes on the yes-side "
        "are Conditional yes naming it ({share}); more than 50% is required.",
    },
    "rules.amendment.more_than_ja.carried": {
        "da": "Ændringsforslag {number} vedtaget: {support} Betinget ja-stemmer nævner det, "
        "flere end Ja-stemmerne ({base}).",
        "en": "Amendment {number} carried: {support} Conditional yes votes name it, more than "
        "the Yes votes ({base}).",
    },
    "rules.amendment.more_than_ja.not_carried": {
        "da": "Ændringsforslag {number} ikke vedtaget: {support} Betinget ja-stemmer nævner "
        "det, ikke flere end Ja-stemmerne ({base}).",
        "en": "Amendment {number} not carried: {support} Conditional yes votes name it, not "
        "more than the Yes votes ({base}).",
    },
    "rules.amendment.separate.carried": {
        "da": "Ændringsforslag {number} vedtaget: {support} ja mod {nej} nej ({share} af ja og "
        "nej); der kræves mere end {threshold}.",
        "en": "Amendment {number} carried: {support} yes to {nej} no ({share} of yes and no); "
        "more than {threshold} is required.",
    },
    "rules.amendment.separate.not_carried": {
        "da": "Ændringsforslag {number} ikke vedtaget: {support} ja mod {nej} nej ({share} af "
        "ja og nej); der kræves mere end {threshold}.",
        "en": "Amendment {number} not carried: {support} yes to {nej} no ({share} of yes and "
        "no); more than {threshold} is required.",
    },
    "rules.amendment.superseded": {
        "da": "Ændringsforslag {number} ikke vedtaget: det har flertal ({support} stemmer), "
        "men alternativet, ændringsforslag {rival}, fik flere ({rival_support}).",
        "en": "Amendment {number} not carried: it has a majority ({support} votes), but its "
        "alternative, amendment {rival}, has more ({rival_support}).",
    },
    "rules.amendment.tied": {
        "da": "Ændringsforslag {number} ikke vedtaget: det står lige med alternativet, "
        "ændringsforslag {rival} ({support} stemmer hver), og ved stemmelighed vedtages "
        "ingen af dem.",
        "en": "Amendment {number} not carried: it is tied with its alternative, amendment "
        "{rival} ({support} votes each), and a tie carries neither.",
    },
    "rules.comparison.more_than": {"da": "mere end", "en": "more than"},
    "rules.comparison.at_least": {"da": "mindst", "en": "at least"},
    "rules.base.yes_no_block": {"da": "stemmer for og imod", "en": "votes for and against"},
    "rules.base.yes_no": {
        "da": "Ja-, Betinget ja- og Nej-stemmer",
        "en": "Yes, Conditional yes and No votes",
    },
    "rules.base.cast": {"da": "afgivne stemmer", "en": "votes cast"},
    "rules.base.eligible": {
        "da": "mulige stemmer (alle stemmeberettigede)",
        "en": "possible votes (all eligible members)",
    },
    # RuleSet.describe
    "rules.and": {"da": " og ", "en": " and "},
    "rules.describe.majority": {
        "da": "Vedtaget, hvis Ja og Betinget ja er {comparison} {threshold} af {base}.",
        "en": "Adopted if Yes and Conditional yes are {comparison} {threshold} of {base}.",
    },
    "rules.describe.base.yes_no_block": {
        "da": "stemmerne for og imod (Ja, Betinget ja, Nej og Bloker)",
        "en": "the votes for and against (Yes, Conditional yes, No and Block)",
    },
    "rules.describe.base.yes_no": {
        "da": "Ja-, Betinget ja- og Nej-stemmerne",
        "en": "the Yes, Conditional yes and No votes",
    },
    "rules.describe.base.cast": {"da": "alle afgivne stemmer", "en": "all votes cast"},
    "rules.describe.base.eligible": {
        "da": "alle stemmeberettigede",
        "en": "all eligible members",
    },
    "rules.describe.block.none": {
        "da": "Bloker kan ikke blokere og tæller som Nej",
        "en": "Block cannot block and counts as No",
    },
    "rules.describe.block.none_ignored": {
        "da": "Bloker kan ikke blokere og tæller ikke med",
        "en": "Block cannot block and is not counted",
    },
    "rules.describe.block.any": {
        "da": "én Bloker blokerer",
        "en": "a single Block vote blocks",
    },
    "rules.describe.block.share": {
        "da": "Bloker blokerer ved {threshold} af de afgivne stemmer",
        "en": "Block blocks at {threshold} of votes cast",
    },
    "rules.describe.block.override": {
        "da": ", medmindre Ja og Betinget ja er mindst {override} af de afgivne stemmer",
        "en": " unless Yes and Conditional yes are at least {override} of votes cast",
    },
    "rules.describe.postpone.plurality": {
        "da": "udskudt, hvis Udskyd er flere end både Ja + Betinget ja og Nej + Bloker",
        "en": "postponed if Postpone outnumbers both Yes + Conditional yes and No + Block",
    },
    "rules.describe.postpone.none": {
        "da": "Udskyd tæller som at undlade at stemme",
        "en": "Postpone counts as an abstention",
    },
    "rules.describe.postpone.plurality_in_base": {
        "da": "udskudt, hvis Udskyd er flere end både Ja + Betinget ja og Nej + Bloker",
        "en": "postponed if Postpone outnumbers both Yes + Conditional yes and No + Block",
    },
    "rules.describe.postpone.none_in_base": {
        "da": "Udskyd kan ikke udskyde forslaget, men tæller med i grundlaget for flertallet",
        "en": "Postpone cannot postpone the proposal but counts in the base of the majority",
    },
    "rules.describe.amendments.more_than_ja": {
        "da": "et ændringsforslag vedtages, hvis flere Betinget ja nævner det, end der er Ja",
        "en": "an amendment is carried if more Conditional yes votes name it than there are Yes votes",
    },
    "rules.describe.amendments.yes_side_majority": {
        "da": "et ændringsforslag vedtages, hvis de Betinget ja, der nævner det, er mere end "
        "halvdelen af ja-siden (Ja + Betinget ja)",
        "en": "an amendment is carried if the Conditional yes votes naming it are more than "
        "half of the yes-side (Yes + Conditional yes)",
    },
    "rules.describe.amendments.separate": {
        "da": "hvert ændringsforslag får sin egen afstemning (ja, nej, undlad) og vedtages med "
        "mere end {threshold} af ja og nej; Betinget ja tilbydes ikke",
        "en": "each amendment has its own vote (yes, no, abstain) and is carried by more than "
        "{threshold} of yes and no; Conditional yes is not offered",
    },
    "rules.describe.amendments.none": {
        "da": "ændringsforslag vedtages ikke",
        "en": "amendments are never carried",
    },
    "rules.describe.quorum.none": {
        "da": "beslutningsdygtig ved mindst én stemme",
        "en": "one vote makes a quorum",
    },
    "rules.describe.quorum.share": {
        "da": "mindst {quorum} af de stemmeberettigede skal stemme",
        "en": "at least {quorum} of eligible members must vote",
    },
    "rules.describe.quorum.share.eligible": {
        "da": "mindst {quorum} af de stemmeberettigede skal stemme",
        "en": "at least {quorum} of eligible members must vote",
    },
    "rules.describe.quorum.share.present": {
        "da": "mindst {quorum} af de fremmødte stemmeberettigede (fuldmagter medregnet) skal stemme",
        "en": "at least {quorum} of the eligible members present (proxies included) must vote",
    },
    "rules.describe.quorum.votes": {
        "da": "mindst {votes} stemmer skal afgives",
        "en": "at least {votes} votes must be cast",
    },
    # Errors from load_rules / RuleSet.from_dict
    "rules.error.bad_amendment_majority": {
        "da": "{where}: 'amendment_majority' skal være under 1 (mere end alle kan aldrig nås), "
        "ikke {value}.",
        "en": "{where}: 'amendment_majority' must be below 1 (more than all can never be "
        "reached), not {value}.",
    },
    "rules.error.unknown_name": {
        "da": "Ukendt regelsæt '{name}': brug {names} eller stien til en .toml-fil.",
        "en": "Unknown rule set '{name}': use {names} or the path to a .toml file.",
    },
    "rules.error.file_missing": {
        "da": "Regelfilen {path} findes ikke.",
        "en": "The rules file {path} does not exist.",
    },
    "rules.error.unreadable": {
        "da": "Kan ikke læse regelfilen {path}: {reason}",
        "en": "Cannot read the rules file {path}: {reason}",
    },
    "rules.error.not_toml": {
        "da": "{path}: ikke gyldig TOML: {reason}",
        "en": "{path}: not valid TOML: {reason}",
    },
    "rules.error.not_utf8": {
        "da": "{path}: ikke gyldig TOML: filen er ikke UTF-8.",
        "en": "{path}: not valid TOML: the file is not UTF-8.",
    },
    "rules.error.not_table": {
        "da": "{where}: et regelsæt skal være en tabel af nøgler og værdier.",
        "en": "{where}: a rule set must be a table of keys and values.",
    },
    "rules.error.unknown_key": {
        "da": "{where}: ukendt nøgle '{key}' (tilladt: {allowed}).",
        "en": "{where}: unknown key '{key}' (allowed: {allowed}).",
    },
    "rules.error.bad_text": {
        "da": "{where}: '{key}' skal være en ikke-tom tekst, ikke {value}.",
        "en": "{where}: '{key}' must be a non-empty text, not {value}.",
    },
    "rules.error.bad_fraction": {
        "da": '{where}: \'{key}\' skal være en andel fra 0 til 1 (fx 0.1, "2/3" eller "10%"), '
        "ikke {value}.",
        "en": '{where}: \'{key}\' must be a share from 0 to 1 (e.g. 0.1, "2/3" or "10%"), '
        "not {value}.",
    },
    "rules.error.bad_count": {
        "da": "{where}: '{key}' skal være et helt tal, 0 eller større, ikke {value}.",
        "en": "{where}: '{key}' must be a whole number, 0 or more, not {value}.",
    },
    "rules.error.bad_choice": {
        "da": "{where}: '{key}' skal være en af {allowed}, ikke {value}.",
        "en": "{where}: '{key}' must be one of {allowed}, not {value}.",
    },
    "rules.error.bad_majority": {
        "da": '{where}: majority = {majority} med majority_comparison = "{comparison}" '
        'giver ingen mening; brug "more_than" med en andel under 1 eller "at_least" '
        "med en andel over 0.",
        "en": '{where}: majority = {majority} with majority_comparison = "{comparison}" '
        'makes no sense; use "more_than" with a share below 1 or "at_least" with a '
        "share above 0.",
    },
    "rules.error.builtin_name": {
        "da": "{where}: navnet '{name}' tilhører et indbygget regelsæt; vælg et andet navn.",
        "en": "{where}: the name '{name}' belongs to a built-in rule set; choose another name.",
    },
}
