"""Read models written from the event log, and the statements computed from them."""
