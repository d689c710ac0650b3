"""The only Streamlit code in cx: login, guard, navigation, and (later) filters and cached queries.

Pages import from here; nothing else in `cx` imports Streamlit.
"""
