package io.github.encodecstream.codec;

/**
 * The short linear fades at the edges of a concealed 24 kHz span: {@value #MILLISECONDS} ms out
 * of the audio before it and into the audio after it, so that neither edge clicks. Audio is
 * channel-major, {@code stride} samples per channel.
 */
final class Fade {
    /** The length of a fade. */
    static final int MILLISECONDS = 5;

    private Fade() {}

    /** Samples of a fade at {@code sampleRate}. */
    static int samples(int sampleRate) {
        return sampleRate * MILLISECONDS / 1000;
    }

    /** Fades in the first {@code n} samples (at most {@code valid}) of each channel: gains 1/(n+1) .. n/(n+1). */
    static void in(float[] audio, int channels, int stride, int valid, int n) {
        int m = Math.min(n, valid);
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < m; i++) {
                audio[c * stride + i] *= (i + 1) / (float) (n + 1);
            }
        }
    }

    /** Fades out the last {@code n} of the first {@code valid} samples of each channel: gains n/(n+1) .. 1/(n+1). */
    static void out(float[] audio, int channels, int stride, int valid, int n) {
        int m = Math.min(n, valid);
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < m; i++) {
                audio[c * stride + valid - m + i] *= (m - i) / (float) (n + 1);
            }
        }
    }
}
