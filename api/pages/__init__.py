"""What the HTML pages show, prepared apart from the routes: QR codes, charts and printable PDF
sheets, and the view models and form parsing of the public and desk pages. Routes import from
here, never the other way round.
"""
