"""Users, roles, applicant organisations, promoting bodies and permissions."""
