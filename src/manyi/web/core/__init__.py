"""Pages and helpers shared by every role: home, dashboard, navigation."""
