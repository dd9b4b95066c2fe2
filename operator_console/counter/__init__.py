"""The counter: a clerk creates accounts for walk-in citizens (look up the ID, take the data
and the ID card's scan, confirm by the citizen's OTP) and finds them again."""
