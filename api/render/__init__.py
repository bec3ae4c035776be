"""What pages draw: QR codes, charts, PDF sheets (shared by the parts)."""
