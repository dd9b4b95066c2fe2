"""The audit trail of the units an administrator administers: a filtered page and its CSV."""
