from django import forms

from accounts.forms import PhoneField


class VneidPhoneForm(forms.Form):
    """The phone a VNeID registration adds to what the e-ID gives."""

    phone = PhoneField()
