"""Use cases: each public function is one transaction. Front ends (CLI, TUI, SSH) call these."""
