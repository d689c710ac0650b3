"""Who may sign in and what each person may see and do: users, roles, sessions, cookies."""
