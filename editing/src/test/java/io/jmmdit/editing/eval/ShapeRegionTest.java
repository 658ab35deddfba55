package io.jmmdit.editing.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeRegionTest {

    /** A 3×3 red square at (10..12, 20..22) on a blue 32×32 background. */
    private static double[][][] square() {
        double[][][] img = new double[3][32][32];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                boolean in = y >= 10 && y <= 12 && x >= 20 && x <= 22;
                img[0][y][x] = in ? 1 : 0;
                img[2][y][x] = in ? 0 : 1;
            }
        }
        return img;
    }

    @Test
    void regionIsTheShapeDilatedByTwo() {
        boolean[][] m = ShapeRegion.of(square());
        int count = 0;
        for (boolean[] row : m) {
            for (boolean b : row) {
                count += b ? 1 : 0;
            }
        }
        assertEquals(7 * 7, count);
        assertTrue(m[8][18]);
        assertTrue(m[14][24]);
        assertFalse(m[7][20]);
        assertFalse(m[11][25]);
    }

    @Test
    void meanColourInsideTheShape() {
        double[][][] img = square();
        boolean[][] core = new boolean[32][32];
        core[11][21] = true;
        assertArrayEquals(new double[] {1, 0, 0}, ShapeRegion.meanColour(img, core), 0);
        assertTrue(Double.isNaN(ShapeRegion.meanColour(img, new boolean[32][32])[0]));
    }
}
