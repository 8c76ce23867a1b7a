package io.github.encodecstream.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** The accuracy of the LM's own exp and erf. */
class DetMathTest {
    private static final MathContext MC = new MathContext(60);

    @Test
    void erfAgainstAHighPrecisionSeries() {
        double max = 0;
        for (int i = -2000; i <= 2000; i++) {
            double x = i * 0.0034641016; // an irregular grid over [-6.93, 6.93]
            double expected = erfReference(x);
            max = Math.max(max, Math.abs(DetMath.erf(x) - expected));
        }
        System.out.printf("erf: max abs error %.3g over [-6.9, 6.9]%n", max);
        assertTrue(max < 1e-13, "max abs error " + max);
        assertEquals(0.0, DetMath.erf(0.0));
        assertEquals(1.0, DetMath.erf(7.0));
        assertEquals(-1.0, DetMath.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(DetMath.erf(Double.NaN)));
    }

    @Test
    void expOverAnArrayIsTheScalarExpBitForBit() {
        double[] x = new double[40_000];
        for (int i = 0; i < x.length - 8; i++) {
            x[i] = (i - 30_000) * 0.0251 + i * 1e-9; // [-753, 250]: the fast range and both fallbacks
        }
        double[] special = {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.0, 690.0, -690.0,
            709.9, -745.5};
        System.arraycopy(special, 0, x, x.length - special.length, special.length);
        double[] out = new double[x.length];
        DetMath.exp(x, out, new double[x.length], x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Double.doubleToRawLongBits(DetMath.exp(x[i])), Double.doubleToRawLongBits(out[i]),
                    "exp(" + x[i] + ")");
        }
    }

    @Test
    void geluIsTheExactFormRoundedOnce() {
        // relative to the value, or absolute 1e-14 where 1 + erf cancels (large negative x: erf's 5e-16 absolute
        // error, times x/2): the result is within one float rounding of the exact GELU of the float input
        double max = 0;
        for (int i = -5000; i <= 5000; i++) {
            float x = i * 0.0028f;
            double exact = 0.5 * x * (1 + erfReference(x * 0.7071067811865476));
            double error = Math.abs(DetMath.gelu(x) - exact);
            max = Math.max(max, error / (Math.abs(exact) * 0x1p-24 + 1e-14));
        }
        System.out.printf("gelu: max error %.3g of (half a float ulp + 1e-14) over [-14, 14]%n", max);
        assertTrue(max <= 1.001, "error " + max);
    }

    @Test
    void expIsAccurate() {
        double max = 0;
        for (int i = -700_000; i <= 100_000; i++) {
            double x = i * 0.001;
            double expected = StrictMath.exp(x);
            max = Math.max(max, Math.abs(DetMath.exp(x) - expected) / expected);
        }
        System.out.printf("exp: max relative error %.3g over [-700, 100] (against StrictMath)%n", max);
        assertTrue(max < 5e-15, "relative error " + max);
        assertEquals(1.0, DetMath.exp(0.0));
        assertEquals(0.0, DetMath.exp(-800));
    }

    /** erf by its power series in 60-digit decimals (or 1 − erfc's continued fraction beyond 3). */
    static double erfReference(double x) {
        double a = Math.abs(x);
        double r;
        if (a <= 3) {
            BigDecimal xb = new BigDecimal(a);
            BigDecimal x2 = xb.multiply(xb, MC);
            BigDecimal term = xb; // x^(2n+1) / n!
            BigDecimal sum = BigDecimal.ZERO;
            for (int n = 0; n < 200; n++) {
                BigDecimal t = term.divide(BigDecimal.valueOf(2L * n + 1), MC);
                sum = (n % 2 == 0) ? sum.add(t, MC) : sum.subtract(t, MC);
                term = term.multiply(x2, MC).divide(BigDecimal.valueOf(n + 1), MC);
            }
            BigDecimal twoOverSqrtPi = new BigDecimal("1.12837916709551257389615890312154517168810125865799771368817");
            r = sum.multiply(twoOverSqrtPi, MC).doubleValue();
        } else {
            // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
            double f = a;
            for (int n = 200; n >= 1; n--) {
                f = a + (n / 2.0) / f;
            }
            double erfc = StrictMath.exp(-a * a) / StrictMath.sqrt(Math.PI) / f;
            r = 1 - erfc;
        }
        return x < 0 ? -r : r;
    }
}
