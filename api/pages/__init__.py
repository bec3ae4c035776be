"""Pages for villagers: QR codes and printable PDF sheets of the village disclosure pages."""
