package org.nnjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The grid's pixels against hand calculation: the gray_r levels, the nearest-neighbour blocks, the layout
 * (margin 4, frame 1, gap 4, label strip 14), and the bounds checked before a canvas is allocated.
 */
class ImageGridTest {

    /** The grey level at (x, y), checking that the pixel is grey (r = g = b). */
    static int grey(BufferedImage image, int x, int y) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        int r = rgb >> 16;
        int g = rgb >> 8 & 0xFF;
        int b = rgb & 0xFF;
        assertEquals(r, g, "pixel (" + x + ", " + y + ") is not grey: " + Integer.toHexString(rgb));
        assertEquals(r, b, "pixel (" + x + ", " + y + ") is not grey: " + Integer.toHexString(rgb));
        return r;
    }

    /** Every pixel of the s x s block of value (row, col) of a tile whose top-left pixel is (x0, y0). */
    static void assertBlock(BufferedImage image, int x0, int y0, int s, int row, int col, int expected) {
        for (int dy = 0; dy < s; dy++) {
            for (int dx = 0; dx < s; dx++) {
                assertEquals(expected, grey(image, x0 + col * s + dx, y0 + row * s + dy),
                        "value (" + row + ", " + col + ") at pixel (" + (x0 + col * s + dx) + ", " + (y0 + row * s + dy) + ")");
            }
        }
    }

    @Test
    void valuesAreGrayReversedOverTheRangeInTenPixelSquares() {
        // 2x2 values over [0, 1]: 255 - round(255 d) = 255, 204 (d = 0.2: 51), 127 (d = 0.5: round(127.5) = 128), 0.
        ImageGrid.Tile tile = new ImageGrid.Tile(new double[] {0, 0.2, 0.5, 1}, 0, 1, null);
        BufferedImage image = ImageGrid.draw(List.of(tile), 2, 2, 8);
        // 112 / 2 = 56 pixels per value, capped at 10: a 20x20 tile, framed (22), with a margin of 4 around.
        assertEquals(30, image.getWidth());
        assertEquals(30, image.getHeight());
        assertBlock(image, 5, 5, 10, 0, 0, 255);
        assertBlock(image, 5, 5, 10, 0, 1, 204);
        assertBlock(image, 5, 5, 10, 1, 0, 127);
        assertBlock(image, 5, 5, 10, 1, 1, 0);
        assertEquals(0xA0, grey(image, 4, 4), "the frame's corner");
        assertEquals(0xA0, grey(image, 25, 25), "the frame's opposite corner");
        assertEquals(255, grey(image, 0, 0), "the margin");
        assertEquals(255, grey(image, 29, 29), "the margin");
    }

    @Test
    void valuesOutsideTheRangeAreClampedAndAConstantTileIsWhite() {
        ImageGrid.Tile clamped = new ImageGrid.Tile(new double[] {-3, 7}, 0, 1, null);
        ImageGrid.Tile constant = ImageGrid.Tile.ownScale(new double[] {0.25, 0.25}, null);
        BufferedImage image = ImageGrid.draw(List.of(clamped, constant), 1, 2, 8);
        assertBlock(image, 5, 5, 10, 0, 0, 255);
        assertBlock(image, 5, 5, 10, 0, 1, 0);
        // The second cell: 4 + (20 + 2 + 4) + 1 = 31.
        assertBlock(image, 31, 5, 10, 0, 0, 255);
        assertBlock(image, 31, 5, 10, 0, 1, 255);
    }

    @Test
    void ownScaleDrawsTheSmallestWhiteAndTheLargestBlack() {
        ImageGrid.Tile tile = ImageGrid.Tile.ownScale(new double[] {0.03, -0.02, 0.005, 0.01}, null);
        assertEquals(-0.02, tile.lo());
        assertEquals(0.03, tile.hi());
        BufferedImage image = ImageGrid.draw(List.of(tile), 2, 2, 8);
        assertBlock(image, 5, 5, 10, 0, 0, 0);
        assertBlock(image, 5, 5, 10, 0, 1, 255);
        assertBlock(image, 5, 5, 10, 1, 1, 102); // (0.01 + 0.02) / 0.05 = 0.6: 255 - 153
    }

    @Test
    void tilesFillRowsOfTheGivenColumnsAndLabelsAddAStrip() {
        double[] values = new double[28 * 28];
        values[0] = 1; // black at the top-left value of each tile
        ImageGrid.Tile tile = new ImageGrid.Tile(values, 0, 1, "true 7, pred 2");
        BufferedImage image = ImageGrid.draw(Collections.nCopies(7, tile), 28, 28, 5);
        // 28x28 at 4 pixels a value (112 / 28): cells 114 wide and 114 + 14 high, 5 a row, two rows.
        assertEquals(4 + 5 * (114 + 4), image.getWidth());
        assertEquals(4 + 2 * (128 + 4), image.getHeight());
        for (int i = 0; i < 7; i++) {
            int x0 = 5 + (i % 5) * 118;
            int y0 = 5 + (i / 5) * 132;
            assertBlock(image, x0, y0, 4, 0, 0, 0);
            assertBlock(image, x0, y0, 4, 27, 27, 255);
            int dark = 0;
            for (int y = y0 + 113; y < y0 + 113 + 14; y++) {
                for (int x = x0 - 1; x < x0 + 113; x++) {
                    if ((image.getRGB(x, y) & 0xFF) < 128) {
                        dark++;
                    }
                }
            }
            assertTrue(dark > 20, "tile " + i + ": the label strip should hold text, found " + dark + " dark pixels");
        }
        assertEquals(255, grey(image, image.getWidth() - 10, image.getHeight() - 10), "no tile after the seventh");
    }

    @Test
    void badTilesAreRefusedWithWhatIsWrong() {
        ImageGrid.Tile tile = new ImageGrid.Tile(new double[4], 0, 1, null);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageGrid.draw(List.of(), 2, 2, 8))
                .getMessage().contains("give at least one image"));
        assertEquals("image grid: image 0 has 4 values, not 3x3 = 9", assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.draw(List.of(tile), 3, 3, 8)).getMessage());
        assertEquals("image grid: value 1 is NaN; only finite values can be drawn", assertThrows(
                IllegalArgumentException.class, () -> ImageGrid.Tile.ownScale(new double[] {0, Double.NaN}, null))
                .getMessage());
    }

    @Test
    void aCanvasBeyondTheBoundsIsRefusedBeforeItIsAllocated() {
        ImageGrid.Tile wide = new ImageGrid.Tile(new double[20_000], 0, 1, null);
        IllegalArgumentException tooWide = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.draw(List.of(wide), 1, 20_000, 8));
        assertTrue(tooWide.getMessage().contains("20010x11-pixel canvas, beyond the limit of 16384 pixels a side"),
                tooWide.getMessage());
        // 1,300 tiles of 112x112 in rows of 10: 1184 x 15344 pixels, each side allowed, 18.2 million in all.
        ImageGrid.Tile digit = new ImageGrid.Tile(new double[112 * 112], 0, 1, null);
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.draw(Collections.nCopies(1300, digit), 112, 112, 10));
        assertTrue(tooMany.getMessage().contains("1184x15344-pixel canvas"), tooMany.getMessage());
    }
}
