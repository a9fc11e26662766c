package org.uso4j.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Erf against Python's math.erf in each of Cody's three ranges (the middle one lacked its last denominator term, 1.5e-2 off at 1); within 1e-14. */
public class ErfTest {
    @Test
    void matchesPythonMathErf() {
        double[][] cases = {{0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {0.75, 0.7111556336535151},
                {1.0, 0.8427007929497149}, {1.5, 0.9661051464753108}, {2.0, 0.9953222650189527}, {3.0, 0.9999779095030014},
                {3.9, 0.9999999652077514}, {4.0, 0.9999999845827421}, {5.0, 0.9999999999984626}, {-0.7, -0.6778011938374184},
                {-2.5, -0.999593047982555}};
        for (double[] c : cases) assertEquals(c[1], Erf.erf(c[0]), 1e-14, "erf(" + c[0] + ")");
    }
}
