"""Page-ready data: the tables and figures a page shows, computed in the core (no Streamlit)."""
