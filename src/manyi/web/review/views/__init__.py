"""HTTP for the review: thin views over ``services`` and ``selectors``."""
