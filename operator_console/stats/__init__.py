"""The statistics page: accounts created at the counters in scope and, for a province's top
administrator, the portal-wide registrations, as charts and tables."""
