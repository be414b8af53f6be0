"""Pure domain logic: ballots, rule sets, outcomes, text sanitising. No I/O, no textual."""
