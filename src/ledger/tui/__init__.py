"""The editors' terminal UI (Textual). Only this package may import Textual."""
