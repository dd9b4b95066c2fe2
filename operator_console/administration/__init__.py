"""Administration: the staff of the units in an administrator's scope, their rights, the
appointment of unit administrators, and the re-authentication those acts ask for."""
