"""Streamlit building blocks shared by the pages (widgets, formatting, login)."""
