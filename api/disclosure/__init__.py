"""Disclosure over HTTP, on the desk (draft, review, publish, answer) and on the villagers'
public pages (the village, a disclosure, its questions, the noticeboard sheet)."""
