/**
 * Audio as floats in and out, as the command line reads and writes it:
 * {@link io.github.encodecstream.pcm.PcmSource} reads audio files (WAV, AIFF, AU through Java
 * Sound) and raw 16-bit PCM as interleaved floats for an encoder
 * ({@link io.github.encodecstream.codec.PcmEncoder}), and
 * {@link io.github.encodecstream.pcm.PcmWriter} writes a decoder's floats as raw PCM or a 16-bit
 * WAV file. The Spark functions use them too, so every front end reads and writes audio the same
 * way.
 */
package io.github.encodecstream.pcm;
