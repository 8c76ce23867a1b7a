package io.github.encodecstream.entropy;

/**
 * The transcendental functions of the deterministic LM, built from IEEE {@code + - * /}, exact conversions
 * and {@link StrictMath} only, so that every JVM on every CPU gives the same bits (no {@code Math.exp} and
 * friends, whose intrinsics differ by CPU; no {@code Math.fma}).
 *
 * <p>{@link #exp(double)}: range reduction {@code x = n ln 2 + r}, {@code |r| <= ln 2 / 2}, then a degree-13
 * Taylor polynomial in Horner form with the coefficients {@code 1/i!} (truncation below 2e-17 relative), scaled by {@code 2^n} through the
 * exponent bits; relative error about 1e-15.
 *
 * <p>{@link #erf(double)}: a table of {@code erf(i/64)} and {@code exp(-(i/64)^2)} for {@code i = 0..384}
 * (up to 6), built once by stepping the Taylor expansion of erf around each grid point (Hermite polynomials,
 * 24 terms per step of 1/64) from {@code erf(0) = 0}; a value is the 8-term expansion around the nearest
 * grid point ({@code |d| <= 1/128}). Absolute error below 1e-13 (the test checks 1e-12 against the
 * alternating power series and known values); beyond 6, {@code erf = ±1} (the true remainder is below 3e-17).
 */
final class DetMath {
    private DetMath() {}

    /** ln 2 to double precision and its split: {@code LN2_HI} has 26 trailing zero bits, so {@code n * LN2_HI} is exact. */
    private static final double LN2 = 0.6931471805599453;
    private static final double LN2_HI = Double.longBitsToDouble(Double.doubleToRawLongBits(LN2) & 0xFFFFFFFFFC000000L);
    /** (ln 2 − LN2) is 2.3190468138462996e-17. */
    private static final double LN2_LO = (LN2 - LN2_HI) + 2.3190468138462996e-17;
    private static final double INV_LN2 = 1.4426950408889634;
    /** 1 / i!, i = 0..13, each by one division of the exact i! (below 2^53), so correctly rounded. */
    private static final double[] INV_FACTORIAL = new double[14];

    static {
        long factorial = 1;
        for (int i = 0; i < INV_FACTORIAL.length; i++) {
            factorial *= Math.max(i, 1);
            INV_FACTORIAL[i] = 1.0 / factorial;
        }
    }

    private static final double F0 = INV_FACTORIAL[0];
    private static final double F1 = INV_FACTORIAL[1];
    private static final double F2 = INV_FACTORIAL[2];
    private static final double F3 = INV_FACTORIAL[3];
    private static final double F4 = INV_FACTORIAL[4];
    private static final double F5 = INV_FACTORIAL[5];
    private static final double F6 = INV_FACTORIAL[6];
    private static final double F7 = INV_FACTORIAL[7];
    private static final double F8 = INV_FACTORIAL[8];
    private static final double F9 = INV_FACTORIAL[9];
    private static final double F10 = INV_FACTORIAL[10];
    private static final double F11 = INV_FACTORIAL[11];
    private static final double F12 = INV_FACTORIAL[12];
    private static final double F13 = INV_FACTORIAL[13];

    /** e^x; 0 below −745, +∞ above 709.78. */
    static double exp(double x) {
        if (x != x) {
            return x;
        }
        if (x < -745.0) {
            return 0.0;
        }
        if (x > 709.782712893384) {
            return Double.POSITIVE_INFINITY;
        }
        double t = x * INV_LN2 + 0.5;
        int n = (int) Math.floor(t); // exact by definition, like StrictMath.floor (which is slower)
        double r = (x - n * LN2_HI) - n * LN2_LO;
        // sum_{i<=13} r^i / i!
        double p = taylor(r);
        return scalb(p, n);
    }

    /**
     * {@code sum_{i<=13} r^i / i!} by Horner, the coefficients {@code 1/i!} computed once by division: the one
     * polynomial of both {@code exp}s (a call changes no bit; the JIT inlines it into the vectorised loop).
     */
    private static double taylor(double r) {
        double p = F13 * r + F12;
        p = p * r + F11;
        p = p * r + F10;
        p = p * r + F9;
        p = p * r + F8;
        p = p * r + F7;
        p = p * r + F6;
        p = p * r + F5;
        p = p * r + F4;
        p = p * r + F3;
        p = p * r + F2;
        p = p * r + F1;
        return p * r + F0;
    }

    /**
     * {@code out[i] = exp(x[i])} for {@code i < len}, each the same bits as {@link #exp(double)}: the same
     * operations in two passes, the first (range reduction and polynomial, no branch) one that the JIT
     * vectorises, the second scaling by {@code 2^n} through the exponent bits (where {@code |x| <= 690}, that is
     * {@code |n| <= 996}: the one-step case of {@link #scalb}) or falling back to {@link #exp(double)}.
     *
     * @param scratch at least {@code len} doubles, overwritten
     */
    static void exp(double[] x, double[] out, double[] scratch, int len) {
        for (int i = 0; i < len; i++) {
            double xi = x[i];
            double n = Math.floor(xi * INV_LN2 + 0.5);
            double r = (xi - n * LN2_HI) - n * LN2_LO;
            double p = taylor(r);
            scratch[i] = n;
            out[i] = p;
        }
        for (int i = 0; i < len; i++) {
            double xi = x[i];
            if (xi >= -690.0 && xi <= 690.0) {
                out[i] = out[i] * Double.longBitsToDouble(((long) scratch[i] + 1023) << 52);
            } else {
                out[i] = exp(xi);
            }
        }
    }

    /** {@code v * 2^n} by exponent bits, in two exact steps so that subnormal results round once. */
    private static double scalb(double v, int n) {
        if (n > 1000) {
            return v * Double.longBitsToDouble((long) (1000 + 1023) << 52)
                    * Double.longBitsToDouble((long) (n - 1000 + 1023) << 52);
        }
        if (n < -1000) {
            return v * Double.longBitsToDouble((long) (-1000 + 1023) << 52)
                    * Double.longBitsToDouble((long) (n + 1000 + 1023) << 52);
        }
        return v * Double.longBitsToDouble((long) (n + 1023) << 52);
    }

    private static final int ERF_PER_UNIT = 64;
    private static final double ERF_STEP = 1.0 / ERF_PER_UNIT;
    private static final int ERF_POINTS = 6 * ERF_PER_UNIT + 1;
    /** 2 / sqrt(pi). */
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    /** erf at the grid points. */
    private static final double[] ERF_AT = new double[ERF_POINTS];
    /** (2 / sqrt pi) exp(-x^2) at the grid points: erf's derivative. */
    private static final double[] DERIV_AT = new double[ERF_POINTS];

    /** Terms of the expansion used per value. */
    private static final int ERF_TERMS = 8;
    /**
     * (−1)^n H_n(x0) at the grid points, n = 1..7, as {@link #series} computes them (the same recurrence, so the
     * same bits): {@code [i * ERF_TERMS + n]}.
     */
    private static final double[] SIGNED_HERMITE = new double[ERF_POINTS * ERF_TERMS];

    static {
        double value = 0.0;
        for (int i = 0; i < ERF_POINTS; i++) {
            double x0 = i * ERF_STEP;
            ERF_AT[i] = value;
            DERIV_AT[i] = TWO_OVER_SQRT_PI * StrictMath.exp(-x0 * x0);
            value = value + DERIV_AT[i] * series(x0, ERF_STEP, 24);
            double hPrev = 1.0;
            double h = 2.0 * x0;
            double sign = 1.0;
            for (int n = 1; n < ERF_TERMS; n++) {
                sign = -sign;
                SIGNED_HERMITE[i * ERF_TERMS + n] = sign * h;
                double next = 2.0 * x0 * h - 2.0 * n * hPrev;
                hPrev = h;
                h = next;
            }
        }
    }

    /**
     * {@code sum_{n<terms} (-1)^n H_n(x0) d^(n+1) / (n+1)!}: erf(x0 + d) − erf(x0) divided by erf'(x0), with
     * the physicists' Hermite polynomials ({@code H_0 = 1, H_1 = 2x, H_{n+1} = 2x H_n − 2n H_{n−1}}).
     */
    private static double series(double x0, double d, int terms) {
        double hPrev = 1.0; // H_0
        double h = 2.0 * x0; // H_1
        double power = d; // d^(n+1) / (n+1)!
        double sum = d; // n = 0
        double sign = 1.0;
        for (int n = 1; n < terms; n++) {
            power = power * d / (n + 1);
            sign = -sign;
            sum = sum + sign * h * power;
            double next = 2.0 * x0 * h - 2.0 * n * hPrev;
            hPrev = h;
            h = next;
        }
        return sum;
    }

    /**
     * {@code series(i / 64, d, 8)} with the Hermite polynomials from the table: the same operations on the same
     * values, so the same bits.
     */
    private static double series8(int i, double d) {
        int b = i * ERF_TERMS;
        double power = d;
        double sum = d;
        for (int n = 1; n < ERF_TERMS; n++) {
            power = power * d / (n + 1);
            sum = sum + SIGNED_HERMITE[b + n] * power;
        }
        return sum;
    }

    /** The error function. */
    static double erf(double x) {
        double a = x < 0 ? -x : x;
        double result;
        if (!(a < 6.0)) {
            result = a != a ? a : 1.0;
        } else {
            int i = (int) (a * ERF_PER_UNIT + 0.5);
            double d = a - i * ERF_STEP;
            result = ERF_AT[i] + DERIV_AT[i] * series8(i, d);
        }
        return x < 0 ? -result : result;
    }

    /** GELU with the exact erf: {@code x/2 (1 + erf(x / sqrt 2))}, computed in double, rounded to float once. */
    static float gelu(float x) {
        double v = x;
        return (float) (0.5 * v * (1.0 + erf(v * 0.7071067811865476)));
    }
}
