"""The HTTP edge of a farmers' cooperative's own rooms (ledger.cooperative): the member account
read as a whole, its page and its export, and the forms that post contributions and trade."""
