"""Messages of the SSH server and the authorized_keys helper."""

MESSAGES: dict[str, dict[str, str]] = {
    "ssh.no_terminal": {
        "da": "deliberate kræver en terminal: forbind med 'ssh -t' fra et terminalvindue (kommandoer kan ikke køres her)",
        "en": "deliberate needs a terminal: connect with 'ssh -t' from a terminal window (commands cannot be run here)",
    },
    "ssh.start_failed": {
        "da": "deliberate kunne ikke starte; ordstyreren kan se detaljerne i serverens log.",
        "en": "deliberate could not start; the facilitator can see the details in the server log.",
    },
    "ssh.host_key_unreadable": {
        "da": "Kan ikke læse SSH-værtsnøglen {path}: {reason}",
        "en": "Cannot read the SSH host key {path}: {reason}",
    },
    "ssh.host_key_unwritable": {
        "da": "Kan ikke gemme en ny SSH-værtsnøgle i {path}: {reason}",
        "en": "Cannot save a new SSH host key in {path}: {reason}",
    },
    "ssh.bad_port": {
        "da": "Ugyldig port {port} (brug 0-65535; 0 vælger en ledig port).",
        "en": "Invalid port {port} (use 0-65535; 0 picks a free port).",
    },
    "ssh.cannot_listen": {
        "da": "Kan ikke lytte på {host}:{port}: {reason}",
        "en": "Cannot listen on {host}:{port}: {reason}",
    },
    "ssh.bad_processes": {
        "da": "Ukendt procesmodel '{value}' (brug shared, fork eller exec).",
        "en": "Unknown process model '{value}' (use shared, fork or exec).",
    },
    "ssh.bad_workers": {
        "da": "Antal arbejdsprocesser skal være mellem 1 og 256 (ikke {value}).",
        "en": "The number of workers must be between 1 and 256 (not {value}).",
    },
    "ssh.listening": {
        "da": "deliberate SSH-server lytter på {host}:{port} · værtsnøgle {fingerprint} · log {log}",
        "en": "deliberate SSH server listening on {host}:{port} · host key {fingerprint} · log {log}",
    },
    "ssh.stopped": {"da": "SSH-serveren er stoppet.", "en": "The SSH server has stopped."},
    "ssh.command_missing": {
        "da": "Programmet {path} findes ikke; angiv stien til deliberate med --command.",
        "en": "The program {path} does not exist; give the path to deliberate with --command.",
    },
    "ssh.unsafe_text": {
        "da": "{what} indeholder et linjeskift eller kontroltegn og kan ikke bruges i authorized_keys: {value}",
        "en": "{what} contains a line break or control character and cannot be used in authorized_keys: {value}",
    },
    "ssh.no_keys": {
        "da": "# Ingen aktive medlemmer har registreret en SSH-nøgle endnu.",
        "en": "# No active member has registered an SSH key yet.",
    },
    "ssh.password_in_url": {
        "da": "Advarsel: databaseadressen indeholder en adgangskode, som nu står i linjerne; brug hellere .pgpass.",
        "en": "Warning: the database address contains a password, which is now in the lines; prefer .pgpass.",
    },
    "ssh.header": {
        "da": "# deliberate: én linje pr. medlemsnøgle; nøglen bestemmer medlemmet. Genereret {when}.",
        "en": "# deliberate: one line per member key; the key decides the member. Generated {when}.",
    },
}
