"""DataFrame → Plotly figure, with one theme and one number format per unit."""
