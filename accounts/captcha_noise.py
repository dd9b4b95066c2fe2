"""Noise for the picture codes (django-simple-captcha's CAPTCHA_NOISE_FUNCTIONS).

The same dots as captcha.helpers.noise_dots, one for every ten pixels, drawn in one call:
the original draws them one by one with two calls to random each, a Python loop heavier
than the rest of the picture, and every form page with a picture code asks for one.
"""

import os

from captcha.conf import settings


def noise_dots(draw, image):
    width, height = image.size
    count = width * height // 10
    # Noise needs no unpredictability, only speed: 16 random bits per coordinate.
    xs = memoryview(os.urandom(2 * count)).cast("H")
    ys = memoryview(os.urandom(2 * count)).cast("H")
    points = list(zip(map((width + 1).__rmod__, xs), map((height + 1).__rmod__, ys),
                      strict=True))
    draw.point(points, fill=settings.CAPTCHA_FOREGROUND_COLOR)
    return draw
