"""Messages of the SSH server's limits (ssh/limits.py) and its invite sessions."""

MESSAGES: dict[str, dict[str, str]] = {
    "ssh.limit.too_many_keys": {
        "da": "For mange nøgler prøvet på én forbindelse (højst {n}); vælg nøglen med ssh -i NØGLE -o IdentitiesOnly=yes",
        "en": "Too many keys tried on one connection (at most {n}); choose the key with ssh -i KEY -o IdentitiesOnly=yes",
    },
    "ssh.limit.refused": {
        "da": "For mange mislykkede forbindelser fra din adresse; prøv igen om {minutes} minutter",
        "en": "Too many failed connections from your address; try again in {minutes} minutes",
    },
    "ssh.limit.one_session": {
        "da": "Kun én session pr. forbindelse: åbn en ny forbindelse i stedet",
        "en": "Only one session per connection: open a new connection instead",
    },
    "ssh.limit.member_sessions": {
        "da": "Du har allerede {n} sessioner åbne; luk en af dem først",
        "en": "You already have {n} sessions open; close one of them first",
    },
    "ssh.limit.invite_sessions": {
        "da": "For mange åbne kodeskærme lige nu; prøv igen om lidt",
        "en": "Too many code screens open just now; try again in a moment",
    },
    "ssh.bad_limit": {
        "da": "Ugyldig værdi for {option}: {value} (skal være mindst {least}).",
        "en": "Invalid value for {option}: {value} (must be at least {least}).",
    },
}
