from PIL import Image, ImageDraw

from accounts.captcha_noise import noise_dots


def test_it_sprinkles_one_dot_for_every_ten_pixels_across_the_picture():
    image = Image.new("RGB", (150, 45), "white")
    noise_dots(ImageDraw.Draw(image), image)
    dark = [(x, y) for x in range(150) for y in range(45)
            if image.getpixel((x, y)) != (255, 255, 255)]
    assert 500 <= len(dark) <= 675  # 675 dots, a few on the same pixel
    assert {x // 50 for x, _ in dark} == {0, 1, 2} and {y // 15 for _, y in dark} == {0, 1, 2}
