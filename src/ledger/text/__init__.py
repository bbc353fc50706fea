"""Pure text work, below the store: anchoring and re-anchoring passages, sentences, dates.

Nothing here touches the database or the services; the store and the services both use it.
"""
