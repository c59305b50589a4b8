"""A tiny app that plugs in by its manifest alone: ``test_manifest`` installs it in a process of
its own with one more line in ``INSTALLED_APPS`` (``sample_settings``) and nothing else."""
