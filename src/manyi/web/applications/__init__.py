"""Applications: the form, materials, the pre-submission check, submission and versions."""
