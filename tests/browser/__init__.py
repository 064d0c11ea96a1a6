"""Browser tests: the workshops, formgrader and the JupyterLite site in headless Chromium."""
