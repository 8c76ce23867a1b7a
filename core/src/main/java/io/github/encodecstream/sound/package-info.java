/**
 * The Java Sound plugin: {@code .ecdc} files through {@link javax.sound.sampled.AudioSystem}, found
 * as services ({@code META-INF/services} on the class path, {@code provides} on the module path).
 *
 * <p>Entry points, as {@code AudioSystem} uses them:
 * <ul>
 *   <li>{@link io.github.encodecstream.sound.EcdcAudioFileReader}: {@code getAudioFileFormat} and
 *       {@code getAudioInputStream} of files, URLs and streams; the stream is an
 *       {@link io.github.encodecstream.sound.EcdcAudioInputStream} of 16-bit PCM, decoded ahead of
 *       the reader in the background (unless switched off).
 *   <li>{@link io.github.encodecstream.sound.EcdcAudioFileWriter}: {@code AudioSystem.write} of PCM
 *       (encoded) or of an ECDC stream (copied).
 *   <li>{@link io.github.encodecstream.sound.EcdcFormatConversionProvider}: ECDC to float or
 *       16/24/32-bit PCM, and PCM to ECDC.
 *   <li>{@link io.github.encodecstream.sound.EcdcProperties}: the file's properties in its
 *       {@code AudioFileFormat}; {@link io.github.encodecstream.sound.EcdcFileFormatType#ECDC} and
 *       {@link io.github.encodecstream.sound.EcdcEncoding#ECDC}, the file type and the encoding.
 * </ul>
 *
 * <p>Audio as floats in and out, as the command line and the Spark functions read and write it:
 * {@link io.github.encodecstream.sound.PcmSource} reads audio files (WAV, AIFF, AU through Java
 * Sound) and raw 16-bit PCM as interleaved floats for an encoder
 * ({@link io.github.encodecstream.codec.PcmEncoder}), and
 * {@link io.github.encodecstream.sound.PcmWriter} writes a decoder's floats as raw PCM or a 16-bit
 * WAV file.
 *
 * <p>The plugin decodes and encodes with the {@code codec} package; the other classes here are
 * internal (decoding ahead, the mark buffer, the header probe, the plugin's settings).
 */
package io.github.encodecstream.sound;
