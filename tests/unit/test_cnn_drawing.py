"""MNIST's normalisation of drawn digits (pizarra.cnn.drawing) and the training augmentation (pizarra.data.digits)."""

import numpy as np

from pizarra.cnn import drawing as cnn_drawing
from pizarra.data import digits


def test_area_weights_average_whole_blocks_and_keep_totals():
    np.testing.assert_allclose(cnn_drawing.area_weights(4, 2), [[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]])
    r = cnn_drawing.area_weights(7, 3)  # output cells of 7/3 input cells: fractions at the edges
    np.testing.assert_allclose(r.sum(axis=1), 1)
    np.testing.assert_allclose(r[0], np.array([1, 1, 1 / 3, 0, 0, 0, 0]) * 3 / 7)


def test_empty_drawing_stays_empty():
    assert not cnn_drawing.normalize_drawing(np.zeros((50, 50))).any()


def centre_of_mass(image):
    image = image.astype(float)
    ys, xs = np.indices(image.shape)
    return (ys * image).sum() / image.sum(), (xs * image).sum() / image.sum()


def test_box_fits_20_by_20_keeping_aspect_and_is_centred_by_mass():
    drawing = np.zeros((300, 300))
    drawing[40:240, 100:200] = 1  # 200 tall, 100 wide, off-centre
    out = cnn_drawing.normalize_drawing(drawing)
    rows, cols = np.nonzero(out)
    assert (rows.max() - rows.min() + 1, cols.max() - cols.min() + 1) == (20, 10)
    assert out.dtype == np.uint8 and out.max() == 255
    cy, cx = centre_of_mass(out)
    assert abs(cy - 13.5) <= 0.5 and abs(cx - 13.5) <= 0.5


def test_position_and_size_do_not_matter():
    stroke = np.zeros((10, 10))
    stroke[1:9, 4] = 1
    stroke[1, 2:8] = 1  # a small "T"
    small = np.zeros((200, 200))
    small[30:40, 120:130] = stroke
    big = np.zeros((200, 200))
    big[50:150, 20:120] = np.kron(stroke, np.ones((10, 10)))
    a, b = cnn_drawing.normalize_drawing(small), cnn_drawing.normalize_drawing(big)
    np.testing.assert_allclose(a.astype(int), b.astype(int), atol=1)  # equal up to rounding of x.5


def test_thin_line_is_anti_aliased_not_lost():
    drawing = np.zeros((100, 100))
    drawing[10:90, 50] = 1  # one pixel wide, 80 tall → 20 tall and 0.25 of a pixel wide
    out = cnn_drawing.normalize_drawing(drawing)
    rows, cols = np.nonzero(out)
    assert rows.max() - rows.min() + 1 == 20 and len(set(cols)) == 1 and out.max() == 255


def test_augment_without_change_is_identity_and_thicken_grows_a_plus():
    rng = np.random.default_rng(0)
    images = np.zeros((2, 28, 28), np.float32)
    images[:, 10, 12] = 1
    same = digits.augment(images, rng, shift=0, degrees=0, scale=(1, 1), thicken=0, thin=0)
    np.testing.assert_allclose(same, images, atol=1e-6)
    grown = digits.augment(images, rng, shift=0, degrees=0, scale=(1, 1), thicken=1, thin=0)
    assert sorted(zip(*np.nonzero(grown[0]))) == [(9, 12), (10, 11), (10, 12), (10, 13), (11, 12)]


def test_augment_rotates_about_the_centre():
    images = np.zeros((1, 28, 28), np.float32)
    images[0, 3:25, 13:15] = 1  # a vertical bar through the centre
    out = digits.augment(
        images, np.random.default_rng(1), shift=0, degrees=30, scale=(1, 1), thicken=0, thin=0
    )
    cy, cx = centre_of_mass(out[0])
    assert abs(cy - 13.5) < 0.2 and abs(cx - 13.5) < 0.2
    assert not np.allclose(out, images, atol=0.1)
    assert abs(out.sum() - images.sum()) / images.sum() < 0.05  # bilinear keeps the ink
