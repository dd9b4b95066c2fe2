"""`make bench`: the portal's figures, each against a baseline measured in the same run."""
