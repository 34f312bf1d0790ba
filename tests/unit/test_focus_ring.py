"""The focus indicator has at least 3:1 contrast (WCAG 2.2, 1.4.11 / 2.4.13)
against white and the colours it sits beside: the page, the header, buttons."""

import re
from pathlib import Path

CSS = (Path(__file__).parents[2] / "tracker" / "static" / "css" / "app.css").read_text()


def _var(name: str) -> str:
    return re.findall(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", CSS)[-1]  # the last definition wins


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_focus_ring_stands_out_on_the_page_and_in_the_header():
    ring, halo, brand = _var("focus-ring"), _var("focus-halo"), _var("brand")
    assert contrast(ring, "#ffffff") >= 3  # on the white page
    assert contrast(ring, _var("bg")) >= 3  # on the grey page background
    assert contrast(halo, brand) >= 3  # the header's ring is the halo colour on the brand colour
    assert contrast(ring, halo) >= 3  # ring and halo tell apart from each other
    assert re.search(r":focus-visible \{ outline: 3px solid var\(--focus-ring\)", CSS)


def test_the_old_amber_ring_would_fail():
    assert contrast("#ffbf47", "#ffffff") < 3  # what the issue found: about 1.7:1
