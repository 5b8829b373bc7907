"""The Qt window: a thin client of ``notebook_app.core``."""
